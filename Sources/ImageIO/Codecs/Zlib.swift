internal import CZlib
import Foundation

/// Inflate and deflate through Debian's zlib: gzip for `.nii.gz`, raw deflate for DICOM's
/// Deflated Explicit VR Little Endian transfer syntax.
enum Zlib {
    /// The stream framing: gzip or zlib detected from the header, or raw deflate (no header).
    enum Framing {
        case gzipOrZlib
        case raw

        var windowBits: Int32 {
            switch self {
            case .gzipOrZlib: return 15 + 32
            case .raw: return -15
            }
        }
    }

    /// Decompresses `data`, refusing to produce more than `limit` bytes (absurd sizes are refused
    /// before memory is spent on them). Concatenated gzip members are read in turn.
    static func inflate(_ data: Data, framing: Framing, limit: Int, file: String) throws -> Data {
        var stream = z_stream()
        var status = inflateInit2_(&stream, framing.windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw ImageIOError.compression(file: file, reason: "inflateInit failed (\(status))") }
        defer { inflateEnd(&stream) }

        var output = Data()
        let chunk = 1 << 20
        var buffer = [UInt8](repeating: 0, count: chunk)
        try data.withUnsafeBytes { (input: UnsafeRawBufferPointer) in
            guard let base = input.bindMemory(to: Bytef.self).baseAddress else { return }
            stream.next_in = UnsafeMutablePointer(mutating: base)
            stream.avail_in = uInt(input.count)
            repeat {
                let produced: Int = buffer.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(chunk)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return chunk - Int(stream.avail_out)
                }
                if status == Z_NEED_DICT || status == Z_DATA_ERROR || status == Z_MEM_ERROR || status == Z_STREAM_ERROR {
                    let msg = stream.msg.map { String(cString: $0) } ?? "code \(status)"
                    throw ImageIOError.compression(file: file, reason: "corrupt compressed stream: \(msg)")
                }
                output.append(buffer, count: produced)
                if output.count > limit {
                    throw ImageIOError.tooLarge(file: file, reason: "decompressed data exceeds \(limit) bytes")
                }
                if status == Z_STREAM_END, framing == .gzipOrZlib, stream.avail_in > 0 {
                    // Another gzip member follows (as `cat a.gz b.gz` makes).
                    inflateReset(&stream)
                    status = Z_OK
                }
                if status == Z_BUF_ERROR && stream.avail_in == 0 {
                    throw ImageIOError.truncated(file: file, reason: "compressed stream ends early")
                }
            } while status != Z_STREAM_END
        }
        return output
    }

    /// Compresses `data` as gzip (mtime 0, no file name: the same input gives the same bytes)
    /// or as a raw deflate stream.
    static func deflate(_ data: Data, framing: Framing, level: Int32 = 6) throws -> Data {
        var stream = z_stream()
        let bits: Int32 = framing == .raw ? -15 : 15 + 16
        var status = deflateInit2_(&stream, level, Z_DEFLATED, bits, 8, Z_DEFAULT_STRATEGY,
                                   ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw ImageIOError.compression(file: "<memory>", reason: "deflateInit failed (\(status))") }
        defer { deflateEnd(&stream) }
        var output = Data()
        let chunk = 1 << 20
        var buffer = [UInt8](repeating: 0, count: chunk)
        data.withUnsafeBytes { (input: UnsafeRawBufferPointer) in
            stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(input.count)
            repeat {
                let produced: Int = buffer.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(chunk)
                    status = CZlib.deflate(&stream, Z_FINISH)
                    return chunk - Int(stream.avail_out)
                }
                output.append(buffer, count: produced)
            } while status == Z_OK
        }
        guard status == Z_STREAM_END else {
            throw ImageIOError.compression(file: "<memory>", reason: "deflate failed (\(status))")
        }
        return output
    }
}
