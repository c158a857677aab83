import Foundation

/// Routes a JPEG stream (ITU T.81) to the decoder its start-of-frame marker calls for:
/// SOF0/1/2 (DCT, 8-bit) to libjpeg-turbo, SOF3 (lossless, Huffman) to our own decoder.
///
/// The marker decides rather than the transfer syntax because files in the wild mislabel
/// (a Process 14 stream under the baseline UID); the transfer syntax still names any refusal.
enum JPEGFamily {
    /// The start-of-frame facts: the marker's low nibble (T.81 Table B.1) and the sample precision.
    struct FrameHeader: Equatable {
        let process: UInt8
        let precision: Int
    }

    static func decode(_ data: Data, syntax: CodecTransferSyntax, frame: DICOMFrameInfo, file: String) throws -> [Int32] {
        let header = try startOfFrame(data, syntax: syntax, file: file)
        switch header.process {
        case 0xC3:
            return try JPEGLosslessDecoder.decode(data, frame: frame, file: file, label: syntax.label)
        case 0xC0, 0xC1, 0xC2:
            guard header.precision == 8 else {
                throw ImageIOError.unsupported(file: file, reason: "transfer syntax \(syntax.label): \(header.precision)-bit JPEG (extended, process 4) cannot be decoded: Debian's libjpeg-turbo 2.1 is built for 8-bit samples only. Convert the series to a lossless syntax (e.g. with dcmdjpeg from DCMTK) and retry")
            }
            return try JPEGBaselineDecoder.decode(data, frame: frame, file: file, label: syntax.label)
        case 0xC9, 0xCA:
            guard header.precision == 8 else {
                throw ImageIOError.unsupported(file: file, reason: "transfer syntax \(syntax.label): \(header.precision)-bit arithmetic-coded JPEG is not supported")
            }
            return try JPEGBaselineDecoder.decode(data, frame: frame, file: file, label: syntax.label)
        default:
            let kind = [0xC5: "differential sequential", 0xC6: "differential progressive", 0xC7: "differential lossless (hierarchical)",
                        0xCB: "arithmetic-coded lossless", 0xCD: "differential arithmetic sequential",
                        0xCE: "differential arithmetic progressive", 0xCF: "differential arithmetic lossless"][Int(header.process)] ?? "unknown"
            throw ImageIOError.unsupported(file: file, reason: "transfer syntax \(syntax.label): JPEG start-of-frame marker FF\(String(format: "%02X", header.process)) (\(kind)) is not supported")
        }
    }

    /// Walks the marker segments from SOI to the first SOFn (T.81 B.2).
    static func startOfFrame(_ data: Data, syntax: CodecTransferSyntax, file: String) throws -> FrameHeader {
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> FrameHeader in
            let b = raw.bindMemory(to: UInt8.self)
            guard b.count >= 4, b[0] == 0xFF, b[1] == 0xD8 else {
                throw ImageIOError.compression(file: file, reason: "\(syntax.label): the frame does not start with a JPEG SOI marker (FF D8)")
            }
            var i = 2
            while i + 1 < b.count {
                guard b[i] == 0xFF else {
                    throw ImageIOError.compression(file: file, reason: "\(syntax.label): expected a JPEG marker at byte \(i), found \(String(format: "%02X", b[i]))")
                }
                let marker = b[i + 1]
                if marker == 0xFF { i += 1; continue } // fill byte
                i += 2
                if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { continue }
                if marker == 0xD9 || marker == 0xDA { break }
                guard i + 1 < b.count else { break }
                let length = Int(b[i]) << 8 | Int(b[i + 1])
                guard length >= 2, i + length <= b.count else {
                    throw ImageIOError.compression(file: file, reason: "\(syntax.label): JPEG marker segment FF\(String(format: "%02X", marker)) of length \(length) runs past the end of the frame")
                }
                let isSOF = (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
                if isSOF {
                    guard length >= 3 else { break }
                    return FrameHeader(process: marker, precision: Int(b[i + 2]))
                }
                i += length
            }
            throw ImageIOError.compression(file: file, reason: "\(syntax.label): no JPEG start-of-frame marker before the scan data")
        }
    }
}
