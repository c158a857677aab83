import Foundation
import Support

/// A safetensors file (Hugging Face's format): an 8-byte little-endian header length, a JSON
/// header `{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {…}}`, then
/// the raw little-endian data, offsets relative to the end of the header.
///
/// The file is memory-mapped; tensors are converted to float32 only when a network asks for
/// them (F32, F16 and BF16 are accepted), so buffers the network does not use
/// (`num_batches_tracked`, the classifier head) are never read.
public final class SafeTensorsFile: WeightSource {
    /// One header entry.
    public struct Entry: Sendable, Equatable {
        /// safetensors dtype string (F32, F16, BF16, I64, …).
        public let dtype: String
        /// Shape.
        public let shape: [Int]
        /// Byte range in the data section.
        public let begin: Int, end: Int
    }

    /// Largest header accepted (the format's own limit is 100 MB).
    public static let maxHeaderBytes = 100_000_000

    /// Path, for messages.
    public let path: String
    /// Entries by name.
    public let entries: [String: Entry]
    private let data: Data
    private let dataStart: Int
    private lazy var digest: String = data.withUnsafeBytes { SHA256.hex($0) }

    /// Opens and validates the header of `path`.
    public init(path: String) throws {
        self.path = path
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw DeepFeaturesError.io(file: path, detail: "cannot read: \(error.localizedDescription)")
        }
        (entries, dataStart) = try SafeTensorsFile.parseHeader(data, path: path)
    }

    /// Parses and checks the header against the file size.
    static func parseHeader(_ data: Data, path: String) throws -> ([String: Entry], Int) {
        guard data.count >= 8 else {
            throw DeepFeaturesError.truncatedFile(file: path, detail: "\(data.count) bytes, the 8-byte header length is missing")
        }
        let headerLength = data.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard headerLength <= UInt64(maxHeaderBytes) else {
            throw DeepFeaturesError.malformedFile(file: path, detail: "header length \(headerLength) bytes is absurd; not a safetensors file?")
        }
        let dataStart = 8 + Int(headerLength)
        guard data.count >= dataStart else {
            throw DeepFeaturesError.truncatedFile(file: path, detail: "header announces \(headerLength) bytes, the file has \(data.count - 8)")
        }
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<dataStart))
        } catch {
            throw DeepFeaturesError.malformedFile(file: path, detail: "header is not JSON")
        }
        guard let object = json as? [String: Any] else {
            throw DeepFeaturesError.malformedFile(file: path, detail: "header is not a JSON object")
        }
        let available = data.count - dataStart
        var entries: [String: Entry] = [:]
        for (name, value) in object where name != "__metadata__" {
            guard let fields = value as? [String: Any], let dtype = fields["dtype"] as? String,
                  let shape = (fields["shape"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                  let offsets = (fields["data_offsets"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                  offsets.count == 2, shape.allSatisfy({ $0 >= 0 }) else {
                throw DeepFeaturesError.malformedFile(file: path, detail: "entry '\(name)' lacks dtype, shape or data_offsets")
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, end >= begin else {
                throw DeepFeaturesError.malformedFile(file: path, detail: "entry '\(name)' has offsets [\(begin), \(end)]")
            }
            guard end <= available else {
                throw DeepFeaturesError.truncatedFile(file: path, detail: "tensor '\(name)' ends at byte \(end) of the data, the file holds \(available)")
            }
            if let size = elementSize(dtype) {
                var count = 1
                for d in shape {
                    let (p, overflow) = count.multipliedReportingOverflow(by: d)
                    guard !overflow else { throw DeepFeaturesError.malformedFile(file: path, detail: "entry '\(name)' shape \(shape) overflows") }
                    count = p
                }
                guard count * size == end - begin else {
                    throw DeepFeaturesError.malformedFile(file: path, detail: "entry '\(name)': shape \(shape) of \(dtype) needs \(count * size) bytes, offsets give \(end - begin)")
                }
            }
            entries[name] = Entry(dtype: dtype, shape: shape, begin: begin, end: end)
        }
        return (entries, dataStart)
    }

    /// Bytes per element of a safetensors dtype (nil when unknown).
    static func elementSize(_ dtype: String) -> Int? {
        switch dtype {
        case "F64", "I64", "U64": return 8
        case "F32", "I32", "U32": return 4
        case "F16", "BF16", "I16", "U16": return 2
        case "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2": return 1
        default: return nil
        }
    }

    public func contains(_ name: String) -> Bool { entries[name] != nil }

    /// `sha256:<hex>` of the whole file (computed once, on first use).
    public var identity: String { "sha256:" + digest }

    public func tensor(_ name: String, shape: [Int]) throws -> [Float] {
        guard let entry = entries[name] else { throw DeepFeaturesError.missingTensor(name: name, file: path) }
        guard entry.shape == shape else {
            throw DeepFeaturesError.wrongShape(name: name, expected: shape, found: entry.shape, file: path)
        }
        let count = shape.reduce(1, *)
        let start = dataStart + entry.begin
        return try data.withUnsafeBytes { raw -> [Float] in
            let p = raw.baseAddress! + start
            switch entry.dtype {
            case "F32":
                return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                    #if _endian(little)
                    // The file's little-endian floats are this machine's: one copy.
                    UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: p, byteCount: 4 * count)
                    #else
                    for i in 0..<count { buffer[i] = Float(bitPattern: UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
                    #endif
                    initialized = count
                }
            case "F16":
                return (0..<count).map { i in
                    Float(Float16(bitPattern: UInt16(littleEndian: p.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))))
                }
            case "BF16":
                return (0..<count).map { i in
                    Float(bitPattern: UInt32(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) << 16)
                }
            default:
                throw DeepFeaturesError.wrongDType(name: name, dtype: entry.dtype, file: path)
            }
        }
    }
}
