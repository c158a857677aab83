internal import CJPEG
import Foundation

/// JPEG baseline / extended 8-bit DCT frames (DICOM 1.2.840.10008.1.2.4.50 and the 8-bit case
/// of .51) through Debian's libjpeg-turbo 2.1. Its warnings (corrupt data, premature end) are
/// treated as errors: a medical image that decoded with holes must not pass silently.
enum JPEGBaselineDecoder {
    static func decode(_ data: Data, frame: DICOMFrameInfo, file: String, label: String) throws -> [Int32] {
        let pixels = frame.rows * frame.columns
        var message = [CChar](repeating: 0, count: 256)
        var width: Int32 = 0, height: Int32 = 0, components: Int32 = 0, precision: Int32 = 0
        func failure(_ status: Int32) -> ImageIOError {
            let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return .compression(file: file, reason: "\(label): libjpeg-turbo cannot decode the frame: \(status == 2 ? "image larger than the DICOM header says" : text)")
        }
        let headerStatus = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Int32 in
            guard let base = raw.bindMemory(to: UInt8.self).baseAddress else { return 1 }
            return her2mri_jpeg_decode(base, UInt(raw.count), nil, 0, &width, &height, &components, &precision,
                                       &message, message.count)
        }
        guard headerStatus == 0 else { throw failure(headerStatus) }
        guard Int(width) == frame.columns, Int(height) == frame.rows else {
            throw ImageIOError.compression(file: file, reason: "\(label): JPEG frame is \(width) × \(height), the DICOM header says \(frame.columns) × \(frame.rows)")
        }
        guard components == 1 else {
            throw ImageIOError.unsupported(file: file, reason: "\(label): JPEG frame with \(components) components; only single-component (greyscale) frames are decoded")
        }
        var bytes = [UInt8](repeating: 0, count: pixels)
        let status = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Int32 in
            guard let base = raw.bindMemory(to: UInt8.self).baseAddress else { return 1 }
            return bytes.withUnsafeMutableBufferPointer { out in
                her2mri_jpeg_decode(base, UInt(raw.count), out.baseAddress, out.count, &width, &height, &components, &precision,
                                    &message, message.count)
            }
        }
        guard status == 0 else { throw failure(status) }
        return bytes.map { Int32($0) }
    }
}
