import Foundation

/// One entry of the inbox as the file system lists it, before anything trusts it.
struct InboxEntry: Sendable {
    /// The name's bytes (may be invalid UTF-8).
    let rawName: [UInt8]
    /// The name when it is safe to use (see `StudyName`), else nil.
    let name: String?
    let isDirectory: Bool
    let isSymbolicLink: Bool

    /// Every entry of `folder` except hidden ones (names starting with "."), listed with
    /// readdir so names that are not UTF-8 are seen as bytes rather than lost.
    static func list(_ folder: URL) throws -> [InboxEntry] {
        guard let dir = opendir(folder.path) else {
            throw DropFolderError.folder(path: folder.path, reason: "cannot be listed (\(String(cString: strerror(errno))))")
        }
        defer { closedir(dir) }
        var out: [InboxEntry] = []
        while let entry = readdir(dir) {
            let raw = withUnsafeBytes(of: entry.pointee.d_name) { buffer in
                Array(buffer.prefix(while: { $0 != 0 }))
            }
            guard let first = raw.first, first != UInt8(ascii: ".") else { continue }
            var st = stat()
            let path = folder.path + "/"
            let full = Array(path.utf8) + raw + [0]
            let ok = full.withUnsafeBufferPointer { p in
                p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: full.count) { lstat($0, &st) == 0 }
            }
            guard ok else { continue }  // vanished between readdir and lstat
            let kind = st.st_mode & S_IFMT
            let name = StudyName.problem(raw) == nil ? String(decoding: raw, as: UTF8.self) : nil
            out.append(InboxEntry(rawName: raw, name: name, isDirectory: kind == S_IFDIR, isSymbolicLink: kind == S_IFLNK))
        }
        return out.sorted { $0.rawName.lexicographicallyPrecedes($1.rawName) }
    }

    /// A printable form of the name for messages (invalid bytes as \xNN).
    var printableName: String {
        if let name { return name }
        return rawName.map { b in
            (0x20..<0x7F).contains(b) && b != UInt8(ascii: "\\") ? String(UnicodeScalar(b)) : String(format: "\\x%02X", b)
        }.joined()
    }
}
