import Foundation
import Support

/// NumPy's `.npy` format (version 1.0–3.0): the magic `\x93NUMPY`, a version, a header length,
/// a Python-literal dict `{'descr': '<f4', 'fortran_order': False, 'shape': (…), }`, then the data.
/// Reads little-endian float32 and float64 (converted) in C order; writes float32, version 1.0.
public enum NPY {
    /// Largest array accepted (elements), 8 GiB of float32.
    public static let maxElements = 2_147_483_648

    /// Reads an array as float32.
    public static func read(path: String) throws -> Tensor {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw DeepFeaturesError.io(file: path, detail: "cannot read: \(error.localizedDescription)")
        }
        return try decode(data, path: path)
    }

    /// Decodes the bytes of an `.npy` file.
    public static func decode(_ data: Data, path: String) throws -> Tensor {
        let bytes = [UInt8](data.prefix(12))
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else {
            throw DeepFeaturesError.badInput(file: path, detail: "not a .npy file (magic \\x93NUMPY missing)")
        }
        let major = bytes[6]
        let headerLength: Int, headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw DeepFeaturesError.badInput(file: path, detail: "truncated header") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default:
            throw DeepFeaturesError.badInput(file: path, detail: "unsupported .npy version \(major)")
        }
        guard data.count >= headerStart + headerLength else {
            throw DeepFeaturesError.badInput(file: path, detail: "truncated header")
        }
        let header = String(decoding: data.subdata(in: headerStart..<(headerStart + headerLength)), as: UTF8.self)
        guard let descr = field(header, "descr"), let order = field(header, "fortran_order"), let shapeText = field(header, "shape") else {
            throw DeepFeaturesError.badInput(file: path, detail: "header lacks descr, fortran_order or shape: \(header)")
        }
        let dtype = descr.trimmingCharacters(in: CharacterSet(charactersIn: "'\" "))
        guard dtype == "<f4" || dtype == "<f8" else {
            throw DeepFeaturesError.badInput(file: path, detail: "dtype \(dtype); expected float32 ('<f4')")
        }
        guard order.trimmingCharacters(in: .whitespaces) == "False" else {
            throw DeepFeaturesError.badInput(file: path, detail: "Fortran order is not supported; save with np.ascontiguousarray")
        }
        let inner = shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "() "))
        var shape: [Int] = []
        for part in inner.split(separator: ",") {
            let t = part.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { continue }
            guard let v = Int(t), v >= 0 else { throw DeepFeaturesError.badInput(file: path, detail: "bad shape \(shapeText)") }
            shape.append(v)
        }
        var count = 1
        for d in shape {
            let (p, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow, p <= maxElements else {
                throw DeepFeaturesError.tooLarge(file: path, detail: "shape \(shape)")
            }
            count = p
        }
        let size = dtype == "<f4" ? 4 : 8
        let start = headerStart + headerLength
        guard data.count - start >= count * size else {
            throw DeepFeaturesError.badInput(file: path, detail: "truncated data: shape \(shape) needs \(count * size) bytes, file has \(data.count - start)")
        }
        let values: [Float] = data.withUnsafeBytes { raw in
            let p = raw.baseAddress! + start
            if size == 4 {
                return (0..<count).map { Float(bitPattern: UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
            }
            return (0..<count).map { Float(Double(bitPattern: UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self)))) }
        }
        return Tensor(shape: shape, storage: values)
    }

    /// The text after `'key':` up to the next top-level comma (a tuple counts as one value).
    private static func field(_ header: String, _ key: String) -> String? {
        guard let range = header.range(of: "'\(key)':") else { return nil }
        var depth = 0
        var out = ""
        for ch in header[range.upperBound...] {
            if ch == "(" { depth += 1 }
            if ch == ")" { depth -= 1 }
            if (ch == "," && depth == 0) || ch == "}" { break }
            out.append(ch)
        }
        return out.trimmingCharacters(in: .whitespaces)
    }

    /// Encodes a float32 array as `.npy` version 1.0 (header padded to a multiple of 64 bytes).
    public static func encode(_ tensor: Tensor) -> Data {
        let shapeText = tensor.shape.count == 1 ? "(\(tensor.shape[0]),)" : "(" + tensor.shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shapeText), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xff), UInt8(header.utf8.count >> 8)])
        data.append(contentsOf: Array(header.utf8))
        tensor.storage.withUnsafeBytes { data.append(contentsOf: $0) }
        return data
    }

    /// Writes a float32 array to `path` (through a temporary name, renamed into place).
    public static func write(_ tensor: Tensor, path: String) throws {
        do {
            try AtomicFile.write(encode(tensor), to: URL(fileURLWithPath: path))
        } catch let SupportError.io(_, reason) {
            throw DeepFeaturesError.io(file: path, detail: reason)
        }
    }
}
