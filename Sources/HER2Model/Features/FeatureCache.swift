import Foundation
import Support
import DeepFeatures

/// Feature vectors on disk, keyed by a SHA-256 of everything that decides them, so a second
/// `train` (or another shard, another machine sharing the folder) never re-extracts.
///
/// Two kinds of entry, both `<dir>/<key[0..<2]>/<key>.h2mf`:
/// - per study and backbone, keyed by the hash of the exact crops fed to the network (their
///   values, the patch settings), the backbone, its layer and its weights' identity;
/// - per study (the whole `StudyFeatures`), keyed by the hash of the study folder's files,
///   the preprocessing parameters, the lesion / patch / perturbation settings and every
///   backbone's weights identity — a hit skips loading and preprocessing the study.
///
/// File format (little-endian): "H2MF1\n", UInt64 header length, a JSON header, UInt32 number
/// of vectors, then per vector UInt32 count and float32 values. Entries are written to a
/// temporary name and renamed into place; an unreadable entry is a miss (and is rewritten).
public struct FeatureCache: Sendable {
    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    static let magic = Array("H2MF1\n".utf8)

    /// The entry's path.
    public func url(key: String) -> URL {
        directory.appendingPathComponent(String(key.prefix(2))).appendingPathComponent(key + ".h2mf")
    }

    /// The entry for `key`, or nil when absent or unreadable.
    public func read(key: String) -> (header: Data, vectors: [[Float]])? {
        guard let data = try? Data(contentsOf: url(key: key)) else { return nil }
        return FeatureCache.decode(data)
    }

    /// Writes the entry for `key` (temporary name, then rename).
    public func write(key: String, header: Data, vectors: [[Float]]) throws {
        let target = url(key: key)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        var data = Data(FeatureCache.magic)
        func put<T: FixedWidthInteger>(_ x: T) { withUnsafeBytes(of: x.littleEndian) { data.append(contentsOf: $0) } }
        put(UInt64(header.count))
        data.append(header)
        put(UInt32(vectors.count))
        for v in vectors {
            put(UInt32(v.count))
            for x in v { put(x.bitPattern) }
        }
        do {
            try AtomicFile.write(data, to: target)
        } catch {
            throw HER2ModelError.invalidArgument("feature cache \(directory.path): \(error)")
        }
    }

    static func decode(_ data: Data) -> (header: Data, vectors: [[Float]])? {
        let bytes = [UInt8](data)
        guard bytes.count >= magic.count + 12, Array(bytes[0..<magic.count]) == magic else { return nil }
        var offset = magic.count
        func get<T: FixedWidthInteger>(_: T.Type) -> T? {
            let n = MemoryLayout<T>.size
            guard offset + n <= bytes.count else { return nil }
            var v: T = 0
            for b in 0..<n { v |= T(bytes[offset + b]) << (8 * b) }
            offset += n
            return v
        }
        guard let headerLength = get(UInt64.self), headerLength <= UInt64(bytes.count - offset) else { return nil }
        let header = Data(bytes[offset..<(offset + Int(headerLength))])
        offset += Int(headerLength)
        guard let count = get(UInt32.self) else { return nil }
        var vectors: [[Float]] = []
        for _ in 0..<count {
            guard let n = get(UInt32.self), offset + Int(n) * 4 <= bytes.count else { return nil }
            var v = [Float](repeating: 0, count: Int(n))
            for i in 0..<Int(n) { v[i] = Float(bitPattern: get(UInt32.self)!) }
            vectors.append(v)
        }
        guard offset == bytes.count else { return nil }
        return (header, vectors)
    }

    /// SHA-256 of a study folder's inputs: every regular, non-hidden file (relative path and
    /// bytes, in path order), `READY` excepted.
    public static func inputHash(studyFolder: URL) throws -> String {
        let fm = FileManager.default
        guard let walker = fm.enumerator(at: studyFolder, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]) else {
            throw HER2ModelError.invalidStudy(path: studyFolder.path, reason: "cannot list the study folder")
        }
        var files: [(String, URL)] = []
        let base = studyFolder.standardizedFileURL.path
        for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
            let relative = String(url.standardizedFileURL.path.dropFirst(base.count))
            if relative == "/READY" { continue }
            files.append((relative, url))
        }
        files.sort { $0.0 < $1.0 }
        var parts: [String] = []
        for (relative, url) in files {
            let data = try Data(contentsOf: url, options: .alwaysMapped)
            parts.append(relative + ":" + data.withUnsafeBytes { SHA256.hex($0) })
        }
        return SHA256.hex(Array(parts.joined(separator: "\n").utf8))
    }
}
