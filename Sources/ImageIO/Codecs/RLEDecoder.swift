import Foundation

/// DICOM RLE Lossless (1.2.840.10008.1.2.5), written here from DICOM PS3.5 Annex G.
///
/// A frame starts with a 64-byte header: a little-endian UInt32 segment count (1…15) and
/// fifteen UInt32 offsets from the start of the frame. Each segment is one byte plane
/// compressed with PackBits (G.3.1: a header byte n in 0…127 copies the next n+1 bytes,
/// −1…−127 repeats the next byte 1−n times, −128 does nothing). Planes run most significant
/// byte first, sample after sample (G.2), so a 16-bit greyscale frame has two segments.
enum RLEDecoder {
    /// Decodes one frame to raw values: the `bitsAllocated` bytes of each pixel joined
    /// big-end first. The caller sign-extends / masks by Bits Stored.
    static func decode(_ data: Data, frame: DICOMFrameInfo, file: String) throws -> [Int32] {
        let label = "RLE Lossless (1.2.840.10008.1.2.5)"
        let bytesPerSample = frame.bitsAllocated / 8
        let pixels = frame.rows * frame.columns
        let segmentsExpected = bytesPerSample * frame.samplesPerPixel
        return try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> [Int32] in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard bytes.count >= 64 else {
                throw ImageIOError.truncated(file: file, reason: "\(label): frame of \(bytes.count) bytes is shorter than the 64-byte RLE header")
            }
            func word(_ i: Int) -> Int {
                Int(bytes[4 * i]) | Int(bytes[4 * i + 1]) << 8 | Int(bytes[4 * i + 2]) << 16 | Int(bytes[4 * i + 3]) << 24
            }
            let count = word(0)
            guard count == segmentsExpected else {
                throw ImageIOError.compression(file: file, reason: "\(label): header declares \(count) segments, Bits Allocated \(frame.bitsAllocated) × Samples per Pixel \(frame.samplesPerPixel) needs \(segmentsExpected)")
            }
            var offsets = (1...count).map { word($0) }
            offsets.append(bytes.count)
            for s in 0..<count {
                guard offsets[s] >= 64, offsets[s] <= offsets[s + 1], offsets[s + 1] <= bytes.count else {
                    throw ImageIOError.compression(file: file, reason: "\(label): segment \(s + 1) offset \(offsets[s]) is outside the frame of \(bytes.count) bytes or out of order")
                }
            }
            var values = [Int32](repeating: 0, count: pixels)
            var plane = [UInt8](repeating: 0, count: pixels)
            for s in 0..<count {
                try unpackBits(bytes, from: offsets[s], to: offsets[s + 1], into: &plane, segment: s + 1, file: file, label: label)
                let shift = Int32(8 * (bytesPerSample - 1 - s))
                values.withUnsafeMutableBufferPointer { v in
                    plane.withUnsafeBufferPointer { p in
                        for i in 0..<pixels { v[i] |= Int32(truncatingIfNeeded: UInt32(p[i]) << UInt32(shift)) }
                    }
                }
            }
            return values
        }
    }

    /// PackBits (PS3.5 G.3.1) from `bytes[start..<end]` until `plane` is full. A segment that
    /// runs out early is an error; output beyond the plane (non-conformant padding, which
    /// pydicom accepts with a warning) is dropped.
    static func unpackBits(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int,
                           into plane: inout [UInt8], segment: Int, file: String, label: String) throws {
        let need = plane.count
        var i = start
        var o = 0
        try plane.withUnsafeMutableBufferPointer { out in
            while o < need {
                guard i < end else {
                    throw ImageIOError.compression(file: file, reason: "\(label): segment \(segment) ends after \(o) of \(need) bytes")
                }
                let n = Int(Int8(bitPattern: bytes[i]))
                i += 1
                if n >= 0 {
                    let run = n + 1
                    guard i + run <= end else {
                        throw ImageIOError.compression(file: file, reason: "\(label): segment \(segment) literal run of \(run) bytes overruns the segment")
                    }
                    let kept = min(run, need - o)
                    for k in 0..<kept { out[o + k] = bytes[i + k] }
                    i += run
                    o += kept
                } else if n != -128 {
                    let run = 1 - n
                    guard i < end else {
                        throw ImageIOError.compression(file: file, reason: "\(label): segment \(segment) ends inside a repeat run")
                    }
                    let value = bytes[i]
                    i += 1
                    let kept = min(run, need - o)
                    for k in 0..<kept { out[o + k] = value }
                    o += kept
                }
            }
        }
    }
}
