import Foundation
import LinearAlgebra
import Testing
import Volumes
@testable import ImageIO

/// Series assembly and the series writer: real mixed series refused, synthetic series round trip,
/// deliberately broken series refused with the reason.
struct DICOMSeriesTests {
    static func temporaryDirectory(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("her2mri-dicom-tests-\(ProcessInfo.processInfo.processIdentifier)")
            .appendingPathComponent(name)
        try? FileManager.default.removeItem(at: url)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A rotation about an oblique axis (right-handed, orthonormal), as a direction matrix.
    static func obliqueDirection() -> Matrix {
        let (a, b) = (0.3, -0.2)
        let rz = Matrix([[cos(a), -sin(a), 0], [sin(a), cos(a), 0], [0, 0, 1]])
        let rx = Matrix([[1, 0, 0], [0, cos(b), -sin(b)], [0, sin(b), cos(b)]])
        var m = Matrix(rows: 3, columns: 3)
        for r in 0..<3 { for c in 0..<3 { m[r, c] = (0..<3).reduce(0) { $0 + rz[r, $1] * rx[$1, c] } } }
        return m
    }

    static func syntheticVolume(size: SIMD3<Int> = SIMD3(7, 5, 6), phases: Int = 1, integral: Bool = false) throws -> Volume {
        let geometry = Geometry(spacing: SIMD3(0.7, 0.8, 2.5), origin: SIMD3(-100.25, 30.5, 12.125), direction: obliqueDirection())
        let n = size.x * size.y * size.z * phases
        let samples = (0..<n).map { i -> Float in
            let v = 850 + 1150 * sin(Double(i) * 0.37) + Double(i % 7) * 3.3
            return Float(integral ? v.rounded() : v)
        }
        return try Volume(size: size, phases: phases, geometry: geometry, samples: samples)
    }

    static func attributes(series: String = "1.2.826.0.1.3680043.10.999.2.1") -> DICOMSeriesAttributes {
        var a = DICOMSeriesAttributes(patientID: "SYN0001", patientName: "Synthetic^Patient",
                                      studyInstanceUID: "1.2.826.0.1.3680043.10.999.1",
                                      seriesInstanceUID: series,
                                      frameOfReferenceUID: "1.2.826.0.1.3680043.10.999.3",
                                      sopInstanceUIDPrefix: series + ".1", seriesNumber: 3)
        a.patientBirthDate = "19700101"
        a.patientSex = "F"
        a.accessionNumber = "ACC0001"
        a.studyDate = "20260101"
        a.studyTime = "101500"
        a.seriesDescription = "DCE t1_fl3d"
        a.institutionName = "Centre A"
        a.manufacturer = "GE MEDICAL SYSTEMS"
        a.magneticFieldStrength = 1.5
        a.repetitionTime = 4.5
        a.echoTime = 1.8
        a.flipAngle = 12
        a.sequenceName = "fl3d"
        a.contrastBolusAgent = "Gadobutrol"
        a.acquisitionTimes = ["101500.000"]
        a.extra = [(tag: 0x0019_0010, vr: "LO", value: "GEMS_ACQU_01"),
                   (tag: 0x0019_109C, vr: "LO", value: "efgre3d"),
                   (tag: 0x0018_0091, vr: "IS", value: "1")]
        return a
    }

    static func expectSameVolume(_ read: Volume, _ written: Volume, relative: Float = 1e-4) {
        #expect(read.size == written.size)
        #expect(read.phases == written.phases)
        guard read.samples.count == written.samples.count else { return }
        let scale = written.samples.map(abs).max() ?? 1
        let worst = zip(read.samples, written.samples).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= relative * scale, "largest sample error \(worst) of \(scale)")
        let g = read.geometry, h = written.geometry
        for c in 0..<3 {
            #expect(abs(g.spacing[c] - h.spacing[c]) <= 1e-9 * h.spacing[c], "spacing \(c): \(g.spacing[c]) vs \(h.spacing[c])")
            #expect(abs(g.origin[c] - h.origin[c]) <= 1e-9, "origin \(c): \(g.origin[c]) vs \(h.origin[c])")
            for r in 0..<3 { #expect(abs(g.direction[r, c] - h.direction[r, c]) <= 1e-12, "direction[\(r),\(c)]") }
        }
    }

    // MARK: real series

    /// MR1: three localizer images from three series (same plane, same position); MR2: two
    /// tri-planar pilots (axial, sagittal, coronal slices under one Series Instance UID) and a
    /// localizer. Each multi-file series is refused with the reason; single images assemble.
    @Test(.enabled(if: RealData.available, RealData.skipReason), arguments: ["MR1", "MR2"])
    func realMixedSeriesAreRefusedWithTheReason(folder: String) throws {
        let dir = RealData.url("dicom-series/\(folder)")
        let all = try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
        #expect(throws: ImageIOError.self) { _ = try DICOMReader.readSeries(all) }
        let groups = try DICOMReader.groupSeries(in: dir)
        #expect(groups.values.reduce(0) { $0 + $1.count } == all.count)
        let refs = try RealData.reference("dicom-series")
        var assembled = 0
        for (uid, files) in groups {
            if files.count == 1 {
                let v = try DICOMReader.readSeries(files)
                // The assembled volume holds pydicom's pixels at every position (no rescale in
                // these files): volume (x = column, y = row) against pydicom's (row, column).
                let ref = try #require(refs.first { $0["file"] as? String == files[0].lastPathComponent })
                let sp = try #require(ref["stored_pixels"] as? [String: Any])
                #expect(ref["rescale_slope"] is NSNull)
                let problems = RealData.positionMismatches(sp) { Double(v[$0[1], $0[0], 0]) }
                #expect(problems.isEmpty, "\(folder)/\(files[0].lastPathComponent): \(problems.joined(separator: "; "))")
                assembled += 1
                let ds = try DICOMReader.readHeader(files[0]).dataSet
                let ipp = try #require(try ds.decimals(.imagePositionPatient))
                let ps = try #require(try ds.decimals(.pixelSpacing))
                #expect(v.size == SIMD3(16, 16, 1))
                #expect(v.geometry.origin == SIMD3(ipp[0], ipp[1], ipp[2]))
                #expect(v.geometry.spacing == SIMD3(ps[1], ps[0], try #require(try ds.decimal(.sliceThickness))))
            } else {
                do {
                    _ = try DICOMReader.readSeries(files)
                    Issue.record("\(folder) series \(uid) (\(files.count) files) was assembled")
                } catch let ImageIOError.inconsistentSeries(_, reason) {
                    #expect(reason.contains("different orientations"), "\(reason)")
                }
            }
        }
        #expect(assembled >= 1, "\(folder): no single-image series to compare")
        if folder == "MR1" {
            do { _ = try DICOMReader.readSeries(all); Issue.record("MR1 assembled") }
            catch let ImageIOError.inconsistentSeries(_, reason) { #expect(reason.contains("3 series"), "\(reason)") }
        }
    }

    /// Grouping by Series Instance UID agrees with pydicom's reading of the same files.
    @Test(.enabled(if: RealData.available, RealData.skipReason), arguments: ["MR1", "MR2"])
    func groupingMatchesPydicomSeriesUIDs(folder: String) throws {
        let refs = try RealData.reference("dicom-series")
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: RealData.url("dicom-series/\(folder)").path))
        var expected: [String: Set<String>] = [:]
        for ref in refs {
            guard let name = ref["file"] as? String, names.contains(name), let uid = ref["series_instance_uid"] as? String else { continue }
            expected[uid, default: []].insert(name)
        }
        let groups = try DICOMReader.groupSeries(in: RealData.url("dicom-series/\(folder)"))
        #expect(groups.mapValues { Set($0.map(\.lastPathComponent)) } == expected)
    }

    @Test(.enabled(if: RealData.available, RealData.skipReason))
    func scanSkipsFilesThatAreNotDICOM() throws {
        let dir = try Self.temporaryDirectory("scan")
        try FileManager.default.copyItem(at: RealData.url("dicom/MR_small.dcm"), to: dir.appendingPathComponent("a.dcm"))
        try FileManager.default.copyItem(at: RealData.url("dicom/MR_small_implicit.dcm"), to: dir.appendingPathComponent("b"))
        try Data("not an image\n".utf8).write(to: dir.appendingPathComponent("notes.txt"))
        let scan = try DICOMReader.scan(directory: dir)
        #expect(scan.series.count == 1)
        #expect(scan.series.values.first?.count == 2)
        #expect(scan.skipped.map(\.url.lastPathComponent) == ["notes.txt"])
        #expect(scan.skipped.first?.reason.contains("not a recognised") == true)
    }

    // MARK: writer round trip

    @Test func writtenSeriesReadsBackToTheSameVolume() throws {
        let volume = try Self.syntheticVolume()
        let dir = try Self.temporaryDirectory("roundtrip")
        let files = try DICOMSeriesWriter.write(volume, to: dir, attributes: Self.attributes())
        #expect(files.count == 6)
        #expect(files.first?.lastPathComponent == "IM00001.dcm")
        // Read back in a shuffled order: sorting is by position, not by name.
        let read = try DICOMReader.readSeries(files.reversed())
        Self.expectSameVolume(read, volume)

        let first = try DICOMReader.readFile(files[0])
        let ds = first.dataSet
        #expect(first.transferSyntax.uid == DICOMTransferSyntax.explicitVRLittleEndian)
        #expect(ds.string(.patientName) == "Synthetic^Patient")
        #expect(ds.string(.modality) == "MR")
        #expect(ds.string(.sopInstanceUID) == "1.2.826.0.1.3680043.10.999.2.1.1.1")
        #expect(try ds.decimal(.flipAngle) == 12)
        #expect(try ds.decimal(.spacingBetweenSlices) == 2.5)
        #expect(ds.string(DICOMTag(0x0019, 0x109C)) == "efgre3d")
        #expect(ds.string(DICOMTag(0x0019, 0x0010)) == "GEMS_ACQU_01")
        #expect(try ds.integer(.instanceNumber) == 1)
        #expect(ds[.temporalPositionIdentifier] == nil)
        #expect(first.pixels?.bitsAllocated == 16 && first.pixels?.pixelRepresentation == 1)
    }

    @Test func integerVolumesAreStoredExactly() throws {
        let volume = try Self.syntheticVolume(integral: true)
        let dir = try Self.temporaryDirectory("exact")
        let files = try DICOMSeriesWriter.write(volume, to: dir, attributes: Self.attributes())
        let read = try DICOMReader.readSeries(files)
        #expect(read.samples == volume.samples)
        #expect(try DICOMReader.readFile(files[0]).pixels?.rescaleSlope == 1)
    }

    @Test func fourDimensionalSeriesRoundTripsAsPhases() throws {
        let volume = try Self.syntheticVolume(size: SIMD3(4, 3, 5), phases: 3)
        let dir = try Self.temporaryDirectory("phases")
        var a = Self.attributes()
        a.acquisitionTimes = ["101500", "101600", "101700"]
        let files = try DICOMSeriesWriter.write(volume, to: dir, attributes: a)
        #expect(files.count == 15)
        let read = try DICOMReader.readSeries(files.shuffled())
        Self.expectSameVolume(read, volume)
        let last = try DICOMReader.readHeader(files[14]).dataSet
        #expect(try last.integer(.temporalPositionIdentifier) == 3)
        #expect(try last.integer(.numberOfTemporalPositions) == 3)
        #expect(last.string(.acquisitionTime) == "101700")
    }

    @Test func sameInputGivesTheSameBytes() throws {
        let volume = try Self.syntheticVolume(size: SIMD3(4, 3, 2))
        let a = try DICOMSeriesWriter.write(volume, to: try Self.temporaryDirectory("det-a"), attributes: Self.attributes())
        let b = try DICOMSeriesWriter.write(volume, to: try Self.temporaryDirectory("det-b"), attributes: Self.attributes())
        for (x, y) in zip(a, b) { #expect(try Data(contentsOf: x) == Data(contentsOf: y)) }
    }

    @Test func writerRefusesWhatItCannotStore() throws {
        let volume = try Self.syntheticVolume(size: SIMD3(2, 2, 2))
        let dir = try Self.temporaryDirectory("refuse")
        var badUID = Self.attributes()
        badUID.seriesInstanceUID = "1.2.03.x"
        #expect(throws: ImageIOError.self) { try DICOMSeriesWriter.write(volume, to: dir, attributes: badUID) }
        var orphan = Self.attributes()
        orphan.extra = [(tag: 0x0043_1039, vr: "IS", value: "1")] // no private creator (0043,0010)
        #expect(throws: ImageIOError.self) { try DICOMSeriesWriter.write(volume, to: dir, attributes: orphan) }
        var nan = volume
        nan.samples[3] = .nan
        #expect(throws: ImageIOError.self) { try DICOMSeriesWriter.write(nan, to: dir, attributes: Self.attributes()) }
    }

    // MARK: broken series

    @Test func missingSliceIsRefusedAsUnevenSpacing() throws {
        let dir = try Self.temporaryDirectory("missing")
        var files = try DICOMSeriesWriter.write(try Self.syntheticVolume(), to: dir, attributes: Self.attributes())
        files.remove(at: 3)
        do {
            _ = try DICOMReader.readSeries(files)
            Issue.record("a series with a missing slice was assembled")
        } catch let ImageIOError.inconsistentSeries(_, reason) {
            #expect(reason.contains("uneven slice spacing") && reason.contains("IM00003.dcm") && reason.contains("IM00005.dcm"), "\(reason)")
        }
    }

    @Test func mixedSizesAndOrientationsAreRefused() throws {
        let dir = try Self.temporaryDirectory("mixed")
        let a = try DICOMSeriesWriter.write(try Self.syntheticVolume(size: SIMD3(7, 5, 3)), to: dir, attributes: Self.attributes())
        var other = Self.attributes()
        other.fileNamePrefix = "B"
        other.firstInstanceNumber = 10
        var small = try Self.syntheticVolume(size: SIMD3(6, 5, 3))
        small.geometry.origin.z += 100
        let b = try DICOMSeriesWriter.write(small, to: dir, attributes: other)
        do { _ = try DICOMReader.readSeries(a + b); Issue.record("mixed sizes assembled") }
        catch let ImageIOError.inconsistentSeries(_, reason) { #expect(reason.contains("mixed image sizes"), "\(reason)") }

        var turned = try Self.syntheticVolume(size: SIMD3(7, 5, 3))
        turned.geometry.direction = .identity(3)
        other.fileNamePrefix = "C"
        let c = try DICOMSeriesWriter.write(turned, to: dir, attributes: other)
        do { _ = try DICOMReader.readSeries(a + c); Issue.record("mixed orientations assembled") }
        catch let ImageIOError.inconsistentSeries(_, reason) { #expect(reason.contains("different orientations"), "\(reason)") }

        other.fileNamePrefix = "D"
        other.seriesInstanceUID = "1.2.826.0.1.3680043.10.999.2.2"
        other.sopInstanceUIDPrefix = "1.2.826.0.1.3680043.10.999.2.2.1"
        let d = try DICOMSeriesWriter.write(try Self.syntheticVolume(size: SIMD3(7, 5, 3)), to: dir, attributes: other)
        do { _ = try DICOMReader.readSeries(a + d); Issue.record("two series assembled as one") }
        catch let ImageIOError.inconsistentSeries(_, reason) { #expect(reason.contains("2 series"), "\(reason)") }
    }

    @Test func duplicateSlicesAreRefused() throws {
        let dir = try Self.temporaryDirectory("duplicate")
        let files = try DICOMSeriesWriter.write(try Self.syntheticVolume(size: SIMD3(3, 3, 3)), to: dir, attributes: Self.attributes())
        let copy = dir.appendingPathComponent("copy.dcm")
        try FileManager.default.copyItem(at: files[1], to: copy)
        do { _ = try DICOMReader.readSeries(files + [copy]); Issue.record("duplicate slice assembled") }
        catch let ImageIOError.inconsistentSeries(_, reason) { #expect(reason.contains("slice(s) at position") || reason.contains("cannot be told apart"), "\(reason)") }
    }
}

/// Writes series for `tools/check_dicom_with_pydicom.py` (an independent check by pydicom that
/// cannot run inside the Swift suite): set HER2MRI_DICOM_EXPORT to a folder and run
/// `swift test -c release --filter DICOMPydicomExport`, then run the script on that folder.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["HER2MRI_DICOM_EXPORT"] != nil,
                "set HER2MRI_DICOM_EXPORT=<folder> to export series for tools/check_dicom_with_pydicom.py"))
struct DICOMPydicomExport {
    static func export(_ volume: Volume, name: String, attributes: DICOMSeriesAttributes) throws {
        let root = URL(fileURLWithPath: ProcessInfo.processInfo.environment["HER2MRI_DICOM_EXPORT"] ?? "/tmp")
        let dir = root.appendingPathComponent(name)
        try? FileManager.default.removeItem(at: dir)
        _ = try DICOMSeriesWriter.write(volume, to: dir, attributes: attributes)
        let g = volume.geometry
        let expected: [String: Any] = [
            "size": [volume.size.x, volume.size.y, volume.size.z], "phases": volume.phases,
            "spacing": [g.spacing.x, g.spacing.y, g.spacing.z], "origin": [g.origin.x, g.origin.y, g.origin.z],
            "direction": (0..<3).map { r in (0..<3).map { c in g.direction[r, c] } },
            "samples": "samples.f32 (float32 little endian, i fastest, then j, k, phase)",
        ]
        try JSONSerialization.data(withJSONObject: expected, options: [.prettyPrinted, .sortedKeys])
            .write(to: root.appendingPathComponent("\(name).expected.json"))
        var raw = Data(capacity: volume.samples.count * 4)
        for v in volume.samples { withUnsafeBytes(of: v.bitPattern.littleEndian) { raw.append(contentsOf: $0) } }
        try raw.write(to: root.appendingPathComponent("\(name).samples.f32"))
    }

    @Test func exportSeriesForPydicom() throws {
        try Self.export(try DICOMSeriesTests.syntheticVolume(), name: "oblique3d", attributes: DICOMSeriesTests.attributes())
        var a = DICOMSeriesTests.attributes(series: "1.2.826.0.1.3680043.10.999.2.7")
        a.acquisitionTimes = ["101500", "101600", "101700"]
        a.patientName = "Müller^Anna" // non-ASCII: written as ISO_IR 192
        try Self.export(try DICOMSeriesTests.syntheticVolume(size: SIMD3(8, 6, 4), phases: 3), name: "dce4d", attributes: a)
    }
}
