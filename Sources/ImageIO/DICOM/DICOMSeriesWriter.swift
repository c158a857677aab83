import Foundation
import Support
import Volumes
#if canImport(Glibc)
import Glibc
#endif

/// Writes a volume as a DICOM series: one MR Image Storage file per slice (and per phase),
/// Explicit VR Little Endian with preamble and file meta group.
///
/// Pixels are 16-bit signed stored values with one Rescale Slope / Intercept for the whole
/// series: slope 1 and intercept 0 when every sample is an integer in the int16 range (exact),
/// otherwise the range [lo, hi] is mapped onto ±32767, so a sample comes back within
/// (hi − lo) / 131068 (≈ 8e-6 of the range). Geometry: Image Position (Patient) of slice k is the
/// world position of voxel (0, 0, k); Image Orientation (Patient) is the i and j direction
/// columns; Pixel Spacing is [j spacing, i spacing]; Slice Thickness and Spacing Between Slices
/// are the k spacing. A volume whose k axis points along −(row × column) reads back with k
/// reversed (the reader always builds a right-handed grid), at the same world positions.
/// The same volume and attributes give the same bytes. Each file is written to a temporary
/// name and renamed into place.
public enum DICOMSeriesWriter {
    /// MR Image Storage (PS3.4 Annex B).
    public static let mrImageStorage = "1.2.840.10008.5.1.4.1.1.4"

    /// Writes every slice of every phase of `volume` into `directory` (created if missing) and
    /// returns the files in instance-number order (phase by phase, k ascending).
    public static func write(_ volume: Volume, to directory: URL, attributes a: DICOMSeriesAttributes) throws -> [URL] {
        let dirPath = directory.path
        func invalid(_ field: String, _ why: String) -> ImageIOError { .invalidHeader(file: dirPath, field: field, reason: why) }

        let (nx, ny, nz) = (volume.size.x, volume.size.y, volume.size.z)
        guard nx <= 0xFFFF, ny <= 0xFFFF else { throw invalid("Rows/Columns", "a \(nx) × \(ny) slice exceeds 65535") }
        for (name, uid) in [("StudyInstanceUID", a.studyInstanceUID), ("SeriesInstanceUID", a.seriesInstanceUID),
                            ("FrameOfReferenceUID", a.frameOfReferenceUID)] {
            try validateUID(uid, name, directory: dirPath)
        }
        let lastInstance = a.firstInstanceNumber + nz * volume.phases - 1
        try validateUID("\(a.sopInstanceUIDPrefix).\(max(lastInstance, a.firstInstanceNumber))", "SOPInstanceUID", directory: dirPath)
        guard !a.fileNamePrefix.contains("/"), !a.fileNamePrefix.hasPrefix(".") else {
            throw invalid("fileNamePrefix", "'\(a.fileNamePrefix)' must be a plain name (no '/', not starting with '.')")
        }
        guard a.firstInstanceNumber >= 0 else { throw invalid("InstanceNumber", "the first instance number must be ≥ 0") }
        if !a.acquisitionTimes.isEmpty && a.acquisitionTimes.count != 1 && a.acquisitionTimes.count != volume.phases {
            throw invalid("AcquisitionTime", "\(a.acquisitionTimes.count) times for \(volume.phases) phases")
        }
        if !a.triggerTimes.isEmpty && a.triggerTimes.count != 1 && a.triggerTimes.count != volume.phases {
            throw invalid("TriggerTime", "\(a.triggerTimes.count) times for \(volume.phases) phases")
        }

        // Geometry: row (i) and column (j) directions, and a k axis along ±(row × column).
        let g = volume.geometry
        let row = SIMD3(g.direction[0, 0], g.direction[1, 0], g.direction[2, 0])
        let col = SIMD3(g.direction[0, 1], g.direction[1, 1], g.direction[2, 1])
        let kdir = SIMD3(g.direction[0, 2], g.direction[1, 2], g.direction[2, 2])
        let normal = SIMD3(row.y * col.z - row.z * col.y, row.z * col.x - row.x * col.z, row.x * col.y - row.y * col.x)
        let along = (kdir * normal).sum()
        guard abs(abs(along) - 1) < 1e-4, abs((row * col).sum()) < 1e-4 else {
            throw invalid("ImageOrientationPatient", "the volume's direction is not orthonormal (sheared grids cannot be stored as single-frame slices)")
        }

        // One rescale for the whole series.
        let (slope, intercept) = try rescale(for: volume.samples, directory: dirPath)
        var lo = Float.infinity, hi = -Float.infinity
        for v in volume.samples { lo = min(lo, v); hi = max(hi, v) }

        // Everything but the per-slice elements.
        var common = DICOMEncoder(file: dirPath)
        let texts = [a.patientID, a.patientName, a.seriesDescription ?? "", a.institutionName ?? "", a.studyDescription ?? "",
                     a.manufacturer ?? "", a.sequenceName ?? "", a.contrastBolusAgent ?? ""] + a.extra.map(\.value)
        if texts.contains(where: { $0.unicodeScalars.contains { !$0.isASCII } }) {
            common.set(.specificCharacterSet, "CS", "ISO_IR 192")
        }
        common.set(.imageType, "CS", a.imageType)
        common.set(.sopClassUID, "UI", mrImageStorage)
        if let d = a.studyDate {
            for tag in [DICOMTag.studyDate, .seriesDate, .acquisitionDate, .contentDate] { common.set(tag, "DA", d) }
        } else {
            common.set(.studyDate, "DA", "")
        }
        common.set(.studyTime, "TM", a.studyTime ?? "")
        common.set(.accessionNumber, "SH", a.accessionNumber ?? "")
        common.set(.modality, "CS", "MR")
        common.set(.manufacturer, "LO", a.manufacturer ?? "")
        if let v = a.institutionName { common.set(.institutionName, "LO", v) }
        common.set(.referringPhysicianName, "PN", "")
        if let v = a.studyDescription { common.set(.studyDescription, "LO", v) }
        if let v = a.seriesDescription { common.set(.seriesDescription, "LO", v) }
        if let v = a.manufacturerModelName { common.set(.manufacturerModelName, "LO", v) }
        common.set(.patientName, "PN", a.patientName)
        common.set(.patientID, "LO", a.patientID)
        common.set(.patientBirthDate, "DA", a.patientBirthDate ?? "")
        common.set(.patientSex, "CS", a.patientSex ?? "")
        if let v = a.contrastBolusAgent { common.set(.contrastBolusAgent, "LO", v) }
        common.set(.scanningSequence, "CS", a.scanningSequence)
        common.set(.sequenceVariant, "CS", a.sequenceVariant)
        common.set(.scanOptions, "CS", a.scanOptions)
        common.set(.mrAcquisitionType, "CS", a.mrAcquisitionType ?? "")
        if let v = a.sequenceName { common.set(.sequenceName, "SH", v) }
        common.setDS(.sliceThickness, [g.spacing.z])
        if let v = a.repetitionTime { common.setDS(.repetitionTime, [v]) }
        if let v = a.echoTime { common.setDS(.echoTime, [v]) }
        if let v = a.inversionTime { common.setDS(.inversionTime, [v]) }
        if let v = a.magneticFieldStrength { common.setDS(.magneticFieldStrength, [v]) }
        common.setDS(.spacingBetweenSlices, [g.spacing.z])
        if let v = a.flipAngle { common.setDS(.flipAngle, [v]) }
        if let v = a.patientPosition { common.set(.patientPosition, "CS", v) }
        common.set(.studyInstanceUID, "UI", a.studyInstanceUID)
        common.set(.seriesInstanceUID, "UI", a.seriesInstanceUID)
        common.set(.studyID, "SH", a.studyID ?? "")
        common.set(.seriesNumber, "IS", String(a.seriesNumber))
        common.setDS(.imageOrientationPatient, [row.x, row.y, row.z, col.x, col.y, col.z])
        common.set(.frameOfReferenceUID, "UI", a.frameOfReferenceUID)
        common.set(.positionReferenceIndicator, "LO", "")
        common.setUS(.samplesPerPixel, 1)
        common.set(.photometricInterpretation, "CS", "MONOCHROME2")
        common.setUS(.rows, ny)
        common.setUS(.columns, nx)
        common.setDS(.pixelSpacing, [g.spacing.y, g.spacing.x])
        common.setUS(.bitsAllocated, 16)
        common.setUS(.bitsStored, 16)
        common.setUS(.highBit, 15)
        common.setUS(.pixelRepresentation, 1)
        common.setDS(.windowCenter, [Double(lo + hi) / 2])
        common.setDS(.windowWidth, [max(Double(hi - lo), 1)])
        common.set(.rescaleIntercept, "DS", DICOMEncoder.decimalString(intercept))
        common.set(.rescaleSlope, "DS", DICOMEncoder.decimalString(slope))
        common.set(.rescaleType, "LO", "US")
        try addExtras(a.extra, to: &common, directory: dirPath)

        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var written: [URL] = []
        let perSlice = nx * ny
        for t in 0..<volume.phases {
            for k in 0..<nz {
                var e = common
                let instance = a.firstInstanceNumber + t * nz + k
                let sop = "\(a.sopInstanceUIDPrefix).\(instance)"
                e.set(.sopInstanceUID, "UI", sop)
                if !a.acquisitionTimes.isEmpty {
                    let time = a.acquisitionTimes[a.acquisitionTimes.count == 1 ? 0 : t]
                    e.set(.acquisitionTime, "TM", time)
                    e.set(.contentTime, "TM", time)
                }
                if !a.triggerTimes.isEmpty { e.setDS(.triggerTime, [a.triggerTimes[a.triggerTimes.count == 1 ? 0 : t]]) }
                e.set(.instanceNumber, "IS", String(instance))
                let position = g.world(ofIndex: SIMD3(0, 0, Double(k)))
                e.setDS(.imagePositionPatient, [position.x, position.y, position.z])
                if volume.phases > 1 || a.temporalPositionIdentifier != nil {
                    e.set(.temporalPositionIdentifier, "IS", String((a.temporalPositionIdentifier ?? 1) + t))
                }
                if let n = a.numberOfTemporalPositions ?? (volume.phases > 1 ? volume.phases : nil) {
                    e.set(.numberOfTemporalPositions, "IS", String(n))
                }
                e.setDS(.sliceLocation, [(position * normal).sum()])
                let base = perSlice * (k + nz * t)
                var pixels = [UInt8](repeating: 0, count: perSlice * 2)
                for n in 0..<perSlice {
                    let s = storedValue(volume.samples[base + n], slope: slope, intercept: intercept)
                    let u = UInt16(bitPattern: s)
                    pixels[2 * n] = UInt8(u & 0xFF)
                    pixels[2 * n + 1] = UInt8(u >> 8)
                }
                e.setBytes(.pixelData, "OW", pixels)
                let image = try DICOMEncoder.fileImage(dataSet: e, sopClassUID: mrImageStorage, sopInstanceUID: sop)
                let digits = String(instance)
                let name = a.fileNamePrefix + String(repeating: "0", count: max(0, 5 - digits.count)) + digits + ".dcm"
                let url = directory.appendingPathComponent(name)
                try writeAtomically(image, to: url)
                written.append(url)
            }
        }
        return written
    }

    /// Slope and intercept (as they will read back from their DS text) covering the samples.
    static func rescale(for samples: [Float], directory: String) throws -> (slope: Double, intercept: Double) {
        var lo = Double.infinity, hi = -Double.infinity
        var integral = true
        for v in samples {
            guard v.isFinite else {
                throw ImageIOError.invalidHeader(file: directory, field: "samples", reason: "the volume holds a non-finite sample (\(v))")
            }
            let d = Double(v)
            lo = min(lo, d); hi = max(hi, d)
            if integral && d != d.rounded() { integral = false }
        }
        if integral && lo >= -32768 && hi <= 32767 { return (1, 0) }
        if hi == lo { return (1, lo) }
        // ±32767 covers [lo, hi]; a hair of headroom absorbs the rounding of the DS text.
        let slope = (hi - lo) / 65530
        let intercept = (hi + lo) / 2
        let s = Double(DICOMEncoder.decimalString(slope)) ?? slope
        let b = Double(DICOMEncoder.decimalString(intercept)) ?? intercept
        return (s, b)
    }

    /// round((v − b) / m), clamped to int16.
    @inline(__always)
    static func storedValue(_ v: Float, slope: Double, intercept: Double) -> Int16 {
        let s = ((Double(v) - intercept) / slope).rounded()
        return Int16(max(-32768, min(32767, s)))
    }

    private static func validateUID(_ uid: String, _ name: String, directory: String) throws {
        let parts = uid.split(separator: ".", omittingEmptySubsequences: false)
        let valid = !uid.isEmpty && uid.count <= 64 && parts.allSatisfy { p in
            !p.isEmpty && p.allSatisfy(\.isASCII) && p.allSatisfy(\.isNumber) && (p == "0" || p.first != "0")
        }
        guard valid else {
            throw ImageIOError.invalidHeader(file: directory, field: name,
                                             reason: "'\(uid)' is not a valid UID (digits and dots, no leading zeros, at most 64 characters; PS3.5 §9.1)")
        }
    }

    private static func addExtras(_ extras: [(tag: UInt32, vr: String, value: String)], to e: inout DICOMEncoder, directory: String) throws {
        var creators = Set<UInt32>()
        for x in extras {
            let tag = DICOMTag(rawValue: x.tag)
            if tag.isPrivate && (0x10...0xFF).contains(tag.element) { creators.insert(x.tag) }
        }
        for x in extras {
            let tag = DICOMTag(rawValue: x.tag)
            func bad(_ why: String) -> ImageIOError { .invalidHeader(file: directory, field: tag.description, reason: why) }
            guard tag.group > 0x0002, tag.group != 0x7FE0, tag.element != 0 || tag.isPrivate else {
                throw bad("this tag cannot be set as an extra element")
            }
            guard !e.contains(tag) else { throw bad("the writer sets this element itself") }
            guard DICOMDictionary.knownVRs.contains(x.vr), x.vr != "SQ" else { throw bad("VR '\(x.vr)' is not supported for extra elements") }
            if tag.isPrivate && tag.element >= 0x1000 {
                let creator = UInt32(tag.group) << 16 | UInt32(tag.element >> 8)
                guard creators.contains(creator) else {
                    throw bad("a private element needs its private creator \(DICOMTag(rawValue: creator)) among the extra elements")
                }
            }
            let numbers = { () throws -> [Double] in
                try x.value.split(separator: "\\").map {
                    guard let d = Double($0.trimmingCharacters(in: .whitespaces)) else { throw bad("'\($0)' is not a number for VR \(x.vr)") }
                    return d
                }
            }
            switch x.vr {
            case "US", "SS":
                e.setBytes(tag, x.vr, try numbers().flatMap { v -> [UInt8] in
                    let u = x.vr == "US" ? UInt16(clamping: Int(v)) : UInt16(bitPattern: Int16(clamping: Int(v)))
                    return [UInt8(u & 0xFF), UInt8(u >> 8)]
                })
            case "UL", "SL":
                e.setBytes(tag, x.vr, try numbers().flatMap { v -> [UInt8] in
                    let u = x.vr == "UL" ? UInt32(clamping: Int(v)) : UInt32(bitPattern: Int32(clamping: Int(v)))
                    return (0..<4).map { UInt8(u >> (8 * $0) & 0xFF) }
                })
            case "FL":
                e.setBytes(tag, x.vr, try numbers().flatMap { v in (0..<4).map { UInt8(Float(v).bitPattern >> (8 * $0) & 0xFF) } })
            case "FD":
                e.setBytes(tag, x.vr, try numbers().flatMap { v in (0..<8).map { UInt8(v.bitPattern >> (8 * UInt64($0)) & 0xFF) } })
            case "OB", "UN", "OW", "OF", "OD", "OL", "OV", "SV", "UV", "AT":
                e.setBytes(tag, x.vr, Array(x.value.utf8))
            default:
                e.set(tag, x.vr, x.value)
            }
        }
    }

    /// Writes through a temporary name (Support's AtomicFile), errors in ImageIO's words.
    private static func writeAtomically(_ bytes: [UInt8], to url: URL) throws {
        do {
            try AtomicFile.write(Data(bytes), to: url)
        } catch let SupportError.io(_, reason) {
            throw ImageIOError.io(file: url.path, reason: reason)
        }
    }
}
