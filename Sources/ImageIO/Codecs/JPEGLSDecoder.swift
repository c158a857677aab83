internal import CCharLS
import Foundation

/// JPEG-LS lossless and near-lossless (DICOM 1.2.840.10008.1.2.4.80 / .81, ITU T.87) through
/// Debian's CharLS 2.x C API (`charls_jpegls_decoder_*`). CharLS writes samples of up to 8 bits
/// as bytes and of 9–16 bits as 16-bit words. JPEG-LS has no sign flag: signed data
/// (Pixel Representation 1) comes out as its two's-complement bit pattern and is sign-extended
/// from the codestream's precision, as pydicom 3 does (`apply_jls_sign_correction`).
enum JPEGLSDecoder {
    static func decode(_ data: Data, frame: DICOMFrameInfo, file: String, syntax: CodecTransferSyntax) throws -> [Int32] {
        let label = syntax.label
        guard let decoder = charls_jpegls_decoder_create() else {
            throw ImageIOError.compression(file: file, reason: "\(label): CharLS could not create a decoder (out of memory)")
        }
        defer { charls_jpegls_decoder_destroy(decoder) }
        func check(_ code: charls_jpegls_errc, _ step: String) throws {
            guard code.rawValue != 0 else { return }
            let text = charls_get_error_message(code).map { String(cString: $0) } ?? "error \(code.rawValue)"
            throw ImageIOError.compression(file: file, reason: "\(label): CharLS cannot decode the frame (\(step)): \(text)")
        }
        return try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> [Int32] in
            guard let base = raw.baseAddress else {
                throw ImageIOError.truncated(file: file, reason: "\(label): empty frame")
            }
            // CharLS 2.4 spends seconds on a truncated scan before it reports the fault, so a
            // stream that does not end with EOI (FF D9, then at most DICOM's pad byte) is refused first.
            let b = raw.bindMemory(to: UInt8.self)
            var end = b.count
            while end > 2, b.count - end < 8, b[end - 1] == 0 { end -= 1 }
            guard end >= 4, b[end - 2] == 0xFF, b[end - 1] == 0xD9 else {
                throw ImageIOError.truncated(file: file, reason: "\(label): the JPEG-LS stream does not end with an EOI marker (FF D9): truncated frame")
            }
            try check(charls_jpegls_decoder_set_source_buffer(decoder, base, raw.count), "source")
            try check(charls_jpegls_decoder_read_header(decoder), "header")
            var info = charls_frame_info()
            try check(charls_jpegls_decoder_get_frame_info(decoder, &info), "frame info")
            guard Int(info.width) == frame.columns, Int(info.height) == frame.rows else {
                throw ImageIOError.compression(file: file, reason: "\(label): JPEG-LS frame is \(info.width) × \(info.height), the DICOM header says \(frame.columns) × \(frame.rows)")
            }
            guard info.component_count == 1 else {
                throw ImageIOError.unsupported(file: file, reason: "\(label): JPEG-LS frame with \(info.component_count) components; only single-component (greyscale) frames are decoded")
            }
            guard (2...16).contains(info.bits_per_sample) else {
                throw ImageIOError.compression(file: file, reason: "\(label): JPEG-LS sample precision \(info.bits_per_sample) (T.87 allows 2–16)")
            }
            let pixels = frame.rows * frame.columns
            var values: [Int32]
            if info.bits_per_sample <= 8 {
                var out = [UInt8](repeating: 0, count: pixels)
                try out.withUnsafeMutableBytes { dst in
                    guard let target = dst.baseAddress else { return }
                    try check(charls_jpegls_decoder_decode_to_buffer(decoder, target, dst.count, 0), "decode")
                }
                values = out.map { Int32($0) }
            } else {
                var out = [UInt16](repeating: 0, count: pixels)
                try out.withUnsafeMutableBytes { dst in
                    guard let target = dst.baseAddress else { return }
                    try check(charls_jpegls_decoder_decode_to_buffer(decoder, target, dst.count, 0), "decode")
                }
                values = out.map { Int32($0) }
            }
            if frame.pixelRepresentation == 1 {
                CodecTransferSyntax.normalise(&values, bitsStored: Int(info.bits_per_sample), signed: true)
            }
            return values
        }
    }
}
