internal import COpenJPEG
import Foundation

/// JPEG 2000 lossless and lossy (DICOM 1.2.840.10008.1.2.4.90 / .91, ISO 15444-1) through
/// Debian's OpenJPEG 2.5, decoded from memory with an `opj_stream` and read / skip / seek
/// callbacks over the frame's bytes.
///
/// A raw codestream (FF 4F FF 51) is what DICOM asks for (PS3.5 A.4.4); a JP2 file, which some
/// writers store instead, is accepted by decoding the codestream of its `jp2c` box (its other
/// boxes say nothing the DICOM header does not). Note for the callbacks: C's `size_t` imports
/// as `Int`, so "end of stream", `(OPJ_SIZE_T)-1`, is `-1` — `OPJ_SIZE_T.max` would read as a
/// huge byte count and trip OpenJPEG's stream assertions (an abort). The
/// codestream's own sign flag decides how values come out; when it disagrees with Pixel
/// Representation the bit pattern is reinterpreted at the codestream's precision, as pydicom 3
/// does (`apply_j2k_sign_correction`). OpenJPEG decodes code-blocks on `threads` threads.
enum JPEG2000Decoder {
    /// Threads OpenJPEG uses inside one frame: `OPJ_NUM_THREADS` when set (OpenJPEG reads it
    /// itself), else every available core.
    static let threads: Int32 = {
        if ProcessInfo.processInfo.environment["OPJ_NUM_THREADS"] != nil { return 0 }
        return Int32(max(1, ProcessInfo.processInfo.activeProcessorCount))
    }()

    /// The bytes being read and the last error OpenJPEG reported, shared with the C callbacks
    /// through their user-data pointer. Lives only for one synchronous decode.
    final class Source {
        let base: UnsafeRawPointer
        let count: Int
        var offset = 0
        var errors: [String] = []

        init(base: UnsafeRawPointer, count: Int) {
            self.base = base
            self.count = count
        }
    }

    static func decode(_ data: Data, frame: DICOMFrameInfo, file: String, syntax: CodecTransferSyntax) throws -> [Int32] {
        let label = syntax.label
        return try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> [Int32] in
            guard let base = raw.baseAddress, raw.count >= 12 else {
                throw ImageIOError.truncated(file: file, reason: "\(label): frame of \(raw.count) bytes is too short for JPEG 2000")
            }
            let b = raw.bindMemory(to: UInt8.self)
            var start = 0
            if !(b[0] == 0xFF && b[1] == 0x4F && b[2] == 0xFF && b[3] == 0x51) {
                guard [0, 0, 0, 0x0C, 0x6A, 0x50, 0x20, 0x20].elementsEqual(b.prefix(8)) else {
                    throw ImageIOError.compression(file: file, reason: "\(label): the frame is neither a JPEG 2000 codestream (FF 4F FF 51) nor a JP2 file")
                }
                start = try codestreamOffset(inJP2: b, file: file, label: label)
            }
            let source = Source(base: base + start, count: raw.count - start)
            return try withExtendedLifetime(source) {
                try decode(source, frame: frame, file: file, label: label)
            }
        }
    }

    private static func decode(_ source: Source, frame: DICOMFrameInfo, file: String, label: String) throws -> [Int32] {
        let user = Unmanaged.passUnretained(source).toOpaque()
        func failure(_ step: String) -> ImageIOError {
            let detail = source.errors.last.map { ": " + $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
            return .compression(file: file, reason: "\(label): OpenJPEG cannot decode the frame (\(step))\(detail)")
        }
        guard let codec = opj_create_decompress(OPJ_CODEC_J2K) else { throw failure("create decoder") }
        defer { opj_destroy_codec(codec) }
        _ = opj_set_error_handler(codec, { message, user in
            guard let message, let user else { return }
            Unmanaged<Source>.fromOpaque(user).takeUnretainedValue().errors.append(String(cString: message))
        }, user)
        _ = opj_set_warning_handler(codec, { _, _ in }, nil)
        _ = opj_set_info_handler(codec, { _, _ in }, nil)
        var parameters = opj_dparameters_t()
        opj_set_default_decoder_parameters(&parameters)
        guard opj_setup_decoder(codec, &parameters) != 0 else { throw failure("setup") }
        if threads > 0, opj_has_thread_support() != 0 { _ = opj_codec_set_threads(codec, threads) }

        guard let stream = opj_stream_create(OPJ_SIZE_T(min(max(source.count, 4096), 1 << 20)), 1) else {
            throw failure("create stream")
        }
        defer { opj_stream_destroy(stream) }
        opj_stream_set_user_data(stream, user, nil)
        opj_stream_set_user_data_length(stream, OPJ_UINT64(source.count))
        opj_stream_set_read_function(stream) { buffer, wanted, user in
            guard let buffer, let user else { return -1 }
            let s = Unmanaged<Source>.fromOpaque(user).takeUnretainedValue()
            let remaining = s.count - s.offset
            guard remaining > 0 else { return -1 } // (OPJ_SIZE_T)-1: end of stream (size_t imports as Int)
            let n = min(Int(wanted), remaining)
            buffer.copyMemory(from: s.base + s.offset, byteCount: n)
            s.offset += n
            return OPJ_SIZE_T(n)
        }
        opj_stream_set_skip_function(stream) { delta, user in
            guard let user else { return -1 }
            let s = Unmanaged<Source>.fromOpaque(user).takeUnretainedValue()
            let target = s.offset + Int(delta)
            guard target >= 0, target <= s.count else {
                s.offset = s.count
                return -1
            }
            s.offset = target
            return delta
        }
        opj_stream_set_seek_function(stream) { position, user in
            guard let user else { return 0 }
            let s = Unmanaged<Source>.fromOpaque(user).takeUnretainedValue()
            guard position >= 0, Int(position) <= s.count else { return 0 }
            s.offset = Int(position)
            return 1
        }

        var imagePointer: UnsafeMutablePointer<opj_image_t>?
        guard opj_read_header(stream, codec, &imagePointer) != 0, let image = imagePointer else {
            throw failure("header")
        }
        defer { opj_image_destroy(image) }
        let width = Int(image.pointee.x1) - Int(image.pointee.x0)
        let height = Int(image.pointee.y1) - Int(image.pointee.y0)
        guard width == frame.columns, height == frame.rows else {
            throw ImageIOError.compression(file: file, reason: "\(label): JPEG 2000 image is \(width) × \(height), the DICOM header says \(frame.columns) × \(frame.rows)")
        }
        guard image.pointee.numcomps == 1, let header = image.pointee.comps else {
            throw ImageIOError.unsupported(file: file, reason: "\(label): JPEG 2000 image with \(image.pointee.numcomps) components; only single-component (greyscale) frames are decoded")
        }
        let precision = Int(header.pointee.prec)
        guard header.pointee.dx == 1, header.pointee.dy == 1, (1...31).contains(precision) else {
            throw ImageIOError.compression(file: file, reason: "\(label): JPEG 2000 component with sub-sampling \(header.pointee.dx)×\(header.pointee.dy) or precision \(precision)")
        }
        guard opj_decode(codec, stream, image) != 0 else { throw failure("decode") }
        guard opj_end_decompress(codec, stream) != 0 else { throw failure("end of codestream") }

        let component = image.pointee.comps[0]
        let pixels = frame.rows * frame.columns
        guard Int(component.w) == frame.columns, Int(component.h) == frame.rows, component.factor == 0, let samples = component.data else {
            throw failure("decoded component is \(component.w) × \(component.h), not the full frame")
        }
        var values = [Int32](unsafeUninitializedCapacity: pixels) { buffer, initialised in
            if let destination = buffer.baseAddress { destination.initialize(from: samples, count: pixels) }
            initialised = pixels
        }
        let signed = component.sgnd != 0
        if signed != (frame.pixelRepresentation == 1) {
            CodecTransferSyntax.normalise(&values, bitsStored: precision, signed: frame.pixelRepresentation == 1)
        }
        return values
    }

    /// Where the contiguous codestream box (`jp2c`) starts in a JP2 file (ISO 15444-1 I.4: boxes
    /// of a big-endian 32-bit length, a 4-character type, a 64-bit length when the first is 1,
    /// a length of 0 meaning "to the end").
    static func codestreamOffset(inJP2 b: UnsafeBufferPointer<UInt8>, file: String, label: String) throws -> Int {
        var p = 0
        while p + 8 <= b.count {
            var length = Int(b[p]) << 24 | Int(b[p + 1]) << 16 | Int(b[p + 2]) << 8 | Int(b[p + 3])
            let type = String(decoding: b[(p + 4)..<(p + 8)], as: UTF8.self)
            var header = 8
            if length == 1 {
                guard p + 16 <= b.count else { break }
                length = 0
                for k in 8..<16 { length = length << 8 | Int(b[p + k]) }
                header = 16
                guard length >= 0, length < Int(Int32.max) else { break }
            } else if length == 0 {
                length = b.count - p
            }
            if type == "jp2c" {
                guard p + header + 4 <= b.count else { break }
                return p + header
            }
            guard length >= header, p + length <= b.count else { break }
            p += length
        }
        throw ImageIOError.compression(file: file, reason: "\(label): JP2 file without a readable codestream (jp2c) box")
    }
}
