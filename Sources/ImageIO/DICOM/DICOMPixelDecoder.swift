import Foundation

/// Turns the Pixel Data element of a parsed data set into stored values: native (uncompressed)
/// data directly, encapsulated data frame by frame through `decodeCompressedFrame`.
enum DICOMPixelDecoder {
    /// Decodes the pixel data of `dataSet`; nil when it has none.
    static func decode(_ dataSet: DICOMDataSet, transferSyntax: DICOMTransferSyntax, file: String) throws -> DICOMPixels? {
        guard let element = dataSet[.pixelData] else { return nil }
        func required(_ tag: DICOMTag) throws -> Int {
            guard let v = try dataSet.integer(tag) else {
                throw ImageIOError.invalidHeader(file: file, field: tag.description, reason: "missing; it is required with Pixel Data")
            }
            return v
        }
        let rows = try required(.rows)
        let columns = try required(.columns)
        let bitsAllocated = try required(.bitsAllocated)
        let bitsStored = try dataSet.integer(.bitsStored) ?? bitsAllocated
        let representation = try dataSet.integer(.pixelRepresentation) ?? 0
        let samplesPerPixel = try dataSet.integer(.samplesPerPixel) ?? 1
        let photometric = dataSet.string(.photometricInterpretation).flatMap { $0.isEmpty ? nil : $0 } ?? "MONOCHROME2"
        let frames = try dataSet.integer(.numberOfFrames) ?? 1

        func invalid(_ tag: DICOMTag, _ why: String) -> ImageIOError {
            ImageIOError.invalidHeader(file: file, field: tag.description, reason: why)
        }
        guard (1...ImageIOLimits.maximumExtent).contains(rows) else { throw invalid(.rows, "\(rows) is outside 1...\(ImageIOLimits.maximumExtent)") }
        guard (1...ImageIOLimits.maximumExtent).contains(columns) else { throw invalid(.columns, "\(columns) is outside 1...\(ImageIOLimits.maximumExtent)") }
        guard [8, 16, 32].contains(bitsAllocated) else {
            if bitsAllocated == 1 || bitsAllocated == 64 {
                throw ImageIOError.unsupported(file: file, reason: "Bits Allocated \(bitsAllocated) is not supported (8, 16 or 32)")
            }
            throw invalid(.bitsAllocated, "\(bitsAllocated) is not 8, 16 or 32")
        }
        guard (1...bitsAllocated).contains(bitsStored) else { throw invalid(.bitsStored, "\(bitsStored) is outside 1...\(bitsAllocated) (Bits Allocated)") }
        guard representation == 0 || representation == 1 else { throw invalid(.pixelRepresentation, "\(representation) is neither 0 (unsigned) nor 1 (signed)") }
        guard samplesPerPixel == 1 else {
            throw ImageIOError.unsupported(file: file, reason: "colour images (Samples per Pixel \(samplesPerPixel), \(photometric)) are not supported yet; MR images have 1 sample per pixel")
        }
        guard photometric == "MONOCHROME1" || photometric == "MONOCHROME2" else {
            throw ImageIOError.unsupported(file: file, reason: "Photometric Interpretation \(photometric) is not supported yet (MONOCHROME1/2 only)")
        }
        guard frames >= 1 else { throw invalid(.numberOfFrames, "\(frames) frames; it must be at least 1") }

        let perFrame = rows * columns // ≤ 2^32: both ≤ 2^16
        let (total, overflow) = perFrame.multipliedReportingOverflow(by: frames)
        guard !overflow, total <= ImageIOLimits.maximumPayloadBytes / 4 else {
            throw ImageIOError.tooLarge(file: file, reason: "\(rows) × \(columns) × \(frames) frames exceeds \(ImageIOLimits.maximumPayloadBytes) bytes")
        }
        let info = DICOMFrameInfo(rows: rows, columns: columns, bitsAllocated: bitsAllocated, bitsStored: bitsStored,
                                  pixelRepresentation: representation, samplesPerPixel: samplesPerPixel, photometric: photometric)

        let stored: [Int32]
        switch element.value {
        case .bytes(let raw):
            if transferSyntax.isEncapsulated && DICOMTransferSyntax.names[transferSyntax.uid] == nil {
                throw ImageIOError.unsupported(file: file, reason: "transfer syntax \(transferSyntax.uid) is unknown to this reader (a private or newer syntax)")
            }
            if transferSyntax.isEncapsulated {
                throw ImageIOError.invalidHeader(file: file, field: DICOMTag.pixelData.description,
                                                 reason: "\(transferSyntax.label) needs encapsulated pixel data but the element has a defined length")
            }
            let needed = total * bitsAllocated / 8
            guard !raw.isEmpty else {
                throw ImageIOError.truncated(file: file, reason: "the Pixel Data element (7FE0,0010) is empty; \(rows) × \(columns) × \(frames) frame(s) × \(bitsAllocated) / 8 = \(needed) bytes expected")
            }
            guard raw.count >= needed else {
                throw ImageIOError.truncated(file: file, reason: "pixel data holds \(raw.count) bytes; Rows × Columns × Frames × Bits Allocated / 8 = \(rows) × \(columns) × \(frames) × \(bitsAllocated) / 8 needs \(needed)")
            }
            // Odd-length padding and stray trailing bytes are tolerated (pydicom warns and drops
            // them); a whole frame or more beyond Number of Frames means the count is wrong.
            let frameBytes = perFrame * bitsAllocated / 8
            guard raw.count - needed < max(frameBytes, 2) else {
                throw ImageIOError.invalidHeader(file: file, field: DICOMTag.numberOfFrames.description,
                                                 reason: "\(frames) frame(s) of \(frameBytes) bytes but the pixel data holds \(raw.count) bytes, \(raw.count / max(frameBytes, 1)) whole frames: the frame count disagrees with the data")
            }
            var bytes = raw
            if dataSet.bigEndian && bitsAllocated == 8 && element.vr == "OW" {
                // 8-bit pixels in an OW value of a big-endian file: each 16-bit word is byte-swapped
                // (PS3.5 §8.1.1, Annex D); swap back to pixel order.
                for w in stride(from: 0, to: bytes.count - 1, by: 2) { bytes.swapAt(w, w + 1) }
            }
            stored = try decodeNative(bytes, count: total, info: info, bigEndian: dataSet.bigEndian, file: file)
        case .encapsulated(let table, let fragments):
            let extended = dataSet[DICOMTag(0x7FE0, 0x0001)].map { element -> [UInt64] in
                let b = element.bytes
                return stride(from: 0, to: b.count - 7, by: 8).map { o in
                    (0..<8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64(b[o + $1]) }
                }
            }
            let perFrameFragments = try splitFrames(offsetTable: table, fragments: fragments, frames: frames, file: file,
                                                    extendedOffsets: extended)
            var values: [Int32] = [] // not reserved: `total` comes from the header, not the bytes
            for (f, parts) in perFrameFragments.enumerated() {
                let decoded = try decodeCompressedFrame(parts.map { Data($0) }, transferSyntax: transferSyntax.uid, frame: info, file: file)
                guard decoded.count == perFrame else {
                    throw ImageIOError.compression(file: file, reason: "frame \(f) of \(transferSyntax.label) decoded to \(decoded.count) values; \(rows) × \(columns) = \(perFrame) expected")
                }
                values.append(contentsOf: decoded)
            }
            stored = values
        case .sequence:
            throw invalid(.pixelData, "holds a sequence, not pixel data")
        }

        var slope = try dataSet.decimal(.rescaleSlope)
        var intercept = try dataSet.decimal(.rescaleIntercept)
        if slope == nil, let shared = dataSet.sequence(.sharedFunctionalGroupsSequence)?.first,
           let transform = shared.sequence(DICOMTag(0x0028, 0x9145))?.first {
            slope = try transform.decimal(.rescaleSlope)
            intercept = try transform.decimal(.rescaleIntercept)
        }
        return DICOMPixels(rows: rows, columns: columns, frames: frames, bitsAllocated: bitsAllocated,
                           bitsStored: bitsStored, pixelRepresentation: representation, photometric: photometric,
                           rescaleSlope: slope ?? 1, rescaleIntercept: intercept ?? 0, storedValues: stored)
    }

    /// Native pixel data: little- or big-endian words of Bits Allocated, masked to Bits Stored
    /// and sign-extended for signed data (PS3.5 §8.1.1; PS3.3 C.7.6.3.1).
    static func decodeNative(_ raw: [UInt8], count: Int, info: DICOMFrameInfo, bigEndian: Bool, file: String) throws -> [Int32] {
        let width = info.bitsAllocated / 8
        let signed = info.pixelRepresentation == 1
        let bits = info.bitsStored
        var out = [Int32](repeating: 0, count: count)
        try raw.withUnsafeBufferPointer { src in
            try out.withUnsafeMutableBufferPointer { dst in
                for n in 0..<count {
                    let o = n * width
                    var word: UInt32
                    switch width {
                    case 1: word = UInt32(src[o])
                    case 2: word = bigEndian ? UInt32(src[o]) << 8 | UInt32(src[o + 1]) : UInt32(src[o]) | UInt32(src[o + 1]) << 8
                    default:
                        word = bigEndian
                            ? UInt32(src[o]) << 24 | UInt32(src[o + 1]) << 16 | UInt32(src[o + 2]) << 8 | UInt32(src[o + 3])
                            : UInt32(src[o]) | UInt32(src[o + 1]) << 8 | UInt32(src[o + 2]) << 16 | UInt32(src[o + 3]) << 24
                    }
                    dst[n] = try storedValue(word, bits: bits, signed: signed, file: file)
                }
            }
        }
        return out
    }

    /// One stored value: the low `bits` bits, sign-extended when signed.
    @inline(__always)
    static func storedValue(_ word: UInt32, bits: Int, signed: Bool, file: String) throws -> Int32 {
        let masked = bits >= 32 ? word : word & ((1 << UInt32(bits)) - 1)
        if signed {
            if bits >= 32 { return Int32(bitPattern: masked) }
            let sign: UInt32 = 1 << UInt32(bits - 1)
            return masked & sign != 0 ? Int32(Int64(masked) - (Int64(1) << Int64(bits))) : Int32(masked)
        }
        guard masked <= UInt32(Int32.max) else {
            throw ImageIOError.unsupported(file: file, reason: "unsigned 32-bit stored value \(masked) exceeds 2^31 - 1; not supported")
        }
        return Int32(masked)
    }

    /// The fragments of each frame (PS3.5 §A.4): one fragment per frame when the counts agree;
    /// else by the Basic Offset Table, or when it is empty by the Extended Offset Table
    /// (7FE0,0001); else, for a single frame, all fragments together; else by the end markers
    /// FF D9 that close every JPEG, JPEG-LS (EOI) and JPEG 2000 (EOC) codestream — a fragment
    /// with FF D9 in its last 10 bytes ends a frame, as pydicom 3's `generate_frames` decides.
    static func splitFrames(offsetTable: [UInt8], fragments: [[UInt8]], frames: Int, file: String,
                            extendedOffsets: [UInt64]? = nil) throws -> [[[UInt8]]] {
        let field = DICOMTag.pixelData.description
        guard !fragments.isEmpty else {
            throw ImageIOError.invalidHeader(file: file, field: field, reason: "encapsulated pixel data has no fragments")
        }
        if fragments.count == frames { return fragments.map { [$0] } }
        var offsets: [Int]?
        if !offsetTable.isEmpty {
            guard offsetTable.count % 4 == 0, offsetTable.count / 4 == frames else {
                throw ImageIOError.invalidHeader(file: file, field: field, reason: "the Basic Offset Table has \(offsetTable.count / 4) entries for \(frames) frames")
            }
            offsets = stride(from: 0, to: offsetTable.count, by: 4).map { o in
                (0..<4).reversed().reduce(0) { $0 << 8 | Int(offsetTable[o + $1]) }
            }
        } else if let extendedOffsets, !extendedOffsets.isEmpty {
            guard extendedOffsets.count == frames, extendedOffsets.allSatisfy({ $0 <= UInt64(Int.max) }) else {
                throw ImageIOError.invalidHeader(file: file, field: "(7FE0,0001) ExtendedOffsetTable",
                                                 reason: "\(extendedOffsets.count) entries for \(frames) frames")
            }
            offsets = extendedOffsets.map { Int($0) }
        }
        if let offsets {
            // Offsets count bytes from the first fragment's item tag: each item is 8 + length.
            var starts: [Int] = []
            var at = 0
            for fragment in fragments { starts.append(at); at += 8 + fragment.count }
            var result: [[[UInt8]]] = []
            for f in 0..<frames {
                let lo = offsets[f]
                let hi = f + 1 < frames ? offsets[f + 1] : Int.max
                guard lo < hi else {
                    throw ImageIOError.invalidHeader(file: file, field: field, reason: "offset table entries are not increasing at frame \(f)")
                }
                let parts = fragments.indices.filter { starts[$0] >= lo && starts[$0] < hi }.map { fragments[$0] }
                guard !parts.isEmpty, starts.contains(lo) else {
                    throw ImageIOError.invalidHeader(file: file, field: field, reason: "offset table entry \(lo) of frame \(f) does not start a fragment")
                }
                result.append(parts)
            }
            return result
        }
        if frames == 1 { return [fragments] }
        if fragments.count > frames {
            var result: [[[UInt8]]] = []
            var current: [[UInt8]] = []
            for fragment in fragments {
                current.append(fragment)
                let tail = fragment.suffix(10)
                if zip(tail, tail.dropFirst()).contains(where: { $0 == 0xFF && $1 == 0xD9 }) {
                    result.append(current)
                    current = []
                }
            }
            if !current.isEmpty { result.append(current) }
            if result.count == frames { return result }
        }
        throw ImageIOError.unsupported(file: file, reason: "\(fragments.count) fragments for \(frames) frames, no offset table and no end-of-codestream markers that split them: cannot tell which fragments form which frame")
    }
}
