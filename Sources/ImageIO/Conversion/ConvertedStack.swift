import Foundation
import Support
import Volumes

/// One stack assembled and encoded as a NIfTI-1 file, the way dcm2niix stores it: the stored
/// DICOM values, unchanged, in an integer type, with the series' Rescale Slope / Intercept as
/// `scl_slope` / `scl_inter` — so a reader gets the DICOM's modality values back exactly. When
/// the rescale differs between slices (some Philips exports) no single pair can hold it and the
/// rescaled values are stored as float32 with `scl_slope` 1, `scl_inter` 0.
///
/// Datatype (as dcm2niix 1.0.20220720 writes it): the stored type of the DICOM — uint8 / int8,
/// int16 / uint16 by Bits Allocated and Pixel Representation, except that unsigned 16-bit data
/// whose values all fit int16 are written as int16 (dcm2niix's `nii_check16bitUnsigned`); 32-bit
/// data as int32. The grid is `DICOMSeries`' (the same assembly as the clinical path): i = column,
/// j = row, k along the slice normal, then time; geometry in the header's sform and qform.
struct ConvertedStack {
    /// The `.nii` bytes (header, extension, data).
    let nii: [UInt8]
    let size: SIMD3<Int>
    let phases: Int
    let geometry: Geometry
    let datatype: NIfTIDatatype
    /// Start of each temporal position in seconds after the first (4-D stacks with acquisition
    /// or trigger times only).
    let frameTimesStart: [Double]?
    /// The earliest acquisition time of the stack's frames (DICOM TM / DT text).
    let acquisitionTime: String?
    /// The frame placed first (k = 0, first temporal position), for the sidecar.
    let firstFrame: ConversionSeries.Frame

    /// `nativeFastPath: false` forces every file through `DICOMReader.readFile` (the slow twin
    /// the tests compare `NativePixelCopy` with).
    init(_ stack: ConversionSeries.Stack, directory: String, nativeFastPath: Bool = true) throws {
        let series = try DICOMSeries(candidates: stack.frames.map(\.candidate), directory: directory)
        let rows = series.rows, columns = series.columns
        let perSlice = rows * columns
        let size = SIMD3(columns, rows, series.slicesPerPhase)
        let (count, overflow) = Volume.voxelCount(size: size, phases: series.phases)
        guard !overflow, count <= ImageIOLimits.maximumPayloadBytes / 4,
              [size.x, size.y, size.z, series.phases].allSatisfy({ $0 <= Int(Int16.max) }) else {
            throw ImageIOError.tooLarge(file: directory, reason: "a \(columns) × \(rows) × \(series.slicesPerPhase) × \(series.phases) stack exceeds the limits of NIfTI-1 or of the reader")
        }

        // One rescale for the whole stack keeps the stored integers; otherwise float32.
        let slope = series.slices[0].rescaleSlope, intercept = series.slices[0].rescaleIntercept
        let integral = series.slices.allSatisfy { $0.rescaleSlope == slope && $0.rescaleIntercept == intercept }
            && Float(slope).isFinite && Float(slope) != 0 && Float(intercept).isFinite
        let firstHeader = stack.header.dataSet
        let bitsAllocated = try firstHeader.integer(.bitsAllocated) ?? 16
        let signed = try firstHeader.integer(.pixelRepresentation) == 1
        let width = !integral ? 4 : bitsAllocated == 8 ? 1 : bitsAllocated == 16 ? 2 : 4

        // The file's bytes in one buffer: header (filled last), then the voxels in grid order,
        // written straight from each decoded file (each file read once, two at a time).
        var order: [URL] = []
        var byFile: [URL: [DICOMSeries.Slice]] = [:]
        for slice in series.slices {
            if byFile[slice.url] == nil { order.append(slice.url) }
            byFile[slice.url, default: []].append(slice)
        }
        let byFileFinal = byFile
        let slicesPerPhase = series.slicesPerPhase
        var bytes = [UInt8](repeating: 0, count: 352 + count * width)
        let highestPerFile = try bytes.withUnsafeMutableBytes { raw in
            let target = UnsafeSendableBytes(raw)
            let headers = stack.headers
            // Files two at a time (one per core); each returns the largest stored value it copied.
            return try ParallelMap.map(order) { url -> Int32 in
                let wantedSlices = byFileFinal[url] ?? []
                if nativeFastPath, integral, width <= 2, let header = headers[url],
                   let layout = NativePixelCopy.layout(of: header, rows: rows, columns: columns),
                   layout.bytesPerValue == width, layout.signed == signed,
                   wantedSlices.allSatisfy({ $0.frame < layout.frames }),
                   let hi = NativePixelCopy.copy(
                       path: url.path, layout: layout,
                       frames: wantedSlices.map { ($0.frame, 352 + width * perSlice * ($0.k + slicesPerPhase * $0.phase)) },
                       outWidth: width, into: target.bytes) {
                    return hi
                }
                let file = try DICOMReader.readFile(url)
                let wanted = byFileFinal[url] ?? []
                let highest = wanted.map(\.frame).max() ?? 0
                guard let pixels = file.pixels, pixels.rows == rows, pixels.columns == columns, pixels.frames > highest,
                      pixels.bitsAllocated == bitsAllocated, (pixels.pixelRepresentation == 1) == signed else {
                    throw ImageIOError.inconsistentSeries(
                        directory: directory, reason: "\(url.lastPathComponent) has another pixel size or format than the first file of the stack (or changed while the series was read)")
                }
                var hi = Int32.min
                pixels.storedValues.withUnsafeBufferPointer { src in
                    let out = target.bytes
                    for slice in wanted {
                        // Each slice owns its own range of the target: workers never overlap.
                        let base = 352 + width * perSlice * (slice.k + slicesPerPhase * slice.phase)
                        let from = perSlice * slice.frame
                        switch (integral, width) {
                        case (true, 1):
                            for n in 0..<perSlice { out[base + n] = UInt8(truncatingIfNeeded: src[from + n]) }
                        case (true, 2):
                            for n in 0..<perSlice {
                                let v = src[from + n]
                                hi = Swift.max(hi, v)
                                out.storeBytes(of: UInt16(truncatingIfNeeded: v).littleEndian, toByteOffset: base + 2 * n, as: UInt16.self)
                            }
                        case (true, _):
                            for n in 0..<perSlice { out.storeBytes(of: src[from + n].littleEndian, toByteOffset: base + 4 * n, as: Int32.self) }
                        default:
                            let s = slice.rescaleSlope, i = slice.rescaleIntercept
                            for n in 0..<perSlice {
                                let v = Float(Double(src[from + n]) * s + i)
                                out.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: base + 4 * n, as: UInt32.self)
                            }
                        }
                    }
                }
                return hi
            }
        }
        let highest = highestPerFile.max() ?? 0

        // The same 16 bits read as int16 or uint16: int16 unless an unsigned value needs the top bit.
        let datatype: NIfTIDatatype
        switch (integral, bitsAllocated) {
        case (false, _): datatype = .float32
        case (true, 8): datatype = signed ? .int8 : .uint8
        case (true, 16): datatype = signed || highest <= Int32(Int16.max) ? .int16 : .uint16
        default: datatype = .int32 // unsigned 32-bit values above 2^31 − 1 are refused by the reader
        }
        let header = integral
            ? NIfTIWriter.header(size: size, phases: series.phases, geometry: series.geometry, datatype: datatype,
                                 sclSlope: Float(slope), sclInter: Float(intercept), description: "her2mri convert")
            : NIfTIWriter.header(size: size, phases: series.phases, geometry: series.geometry, datatype: .float32,
                                 sclSlope: 1, sclInter: 0, description: "her2mri convert (rescale varies by slice)")
        bytes.replaceSubrange(0..<352, with: header)
        nii = bytes
        self.size = size
        phases = series.phases
        geometry = series.geometry
        self.datatype = datatype

        // Where each frame of the stack came from, to time the temporal positions.
        var byKey: [String: ConversionSeries.Frame] = [:]
        for fr in stack.frames { byKey["\(fr.candidate.url.path)#\(fr.candidate.frame)"] = fr }
        func frame(_ s: DICOMSeries.Slice) -> ConversionSeries.Frame? { byKey["\(s.url.path)#\(s.frame)"] }
        guard let first = frame(series.slices[0]) else { preconditionFailure("every slice comes from a frame of the stack") }
        firstFrame = first
        // BIDS: "time of day of the first data point" — the earliest acquisition time of the stack.
        acquisitionTime = stack.frames.map(\.candidate.temporal.2)
            .compactMap { text in DICOMTime.seconds(text).map { (text, $0) } }
            .min { $0.1 < $1.1 }?.0
        if series.phases > 1 {
            var starts: [Double] = []
            for t in 0..<series.phases {
                let phase = series.slices[(t * series.slicesPerPhase)..<((t + 1) * series.slicesPerPhase)].compactMap(frame)
                let times = phase.compactMap { DICOMTime.seconds($0.candidate.temporal.2) }
                let triggers = phase.map(\.candidate.temporal.1).filter(\.isFinite)
                if times.count == phase.count, let m = times.min() { starts.append(m) }
                else if triggers.count == phase.count, let m = triggers.min() { starts.append(m / 1000) }
                else { starts = []; break }
            }
            frameTimesStart = starts.count == series.phases ? starts.map { (($0 - starts[0]) * 1e6).rounded() / 1e6 + 0 } : nil
        } else {
            frameTimesStart = nil
        }
    }
}

/// A buffer that concurrent workers fill in disjoint ranges.
private struct UnsafeSendableBytes: @unchecked Sendable {
    let bytes: UnsafeMutableRawBufferPointer
    init(_ bytes: UnsafeMutableRawBufferPointer) { self.bytes = bytes }
}
