import Foundation

/// Writes files so that a reader never sees half of one: the bytes go to a temporary name in
/// the same folder (so the rename stays on one file system), are flushed, and the file is then
/// renamed into place. A failure removes the temporary file and leaves any old file untouched.
public enum AtomicFile {
    /// Writes `data` to `url`, replacing an existing file; `permissions` (e.g. 0o640) are set
    /// before the rename, so the file never exists with wider ones.
    public static func write(_ data: Data, to url: URL, permissions: Int? = nil) throws {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UUID().uuidString.prefix(8))")
        let fm = FileManager.default
        do {
            guard fm.createFile(atPath: temporary.path, contents: nil,
                                attributes: permissions.map { [.posixPermissions: $0] }) else {
                throw SupportError.io(path: url.path, reason: "cannot create a file in \(folder.path) (errno \(errno): \(String(cString: strerror(errno))))")
            }
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            try handle.write(contentsOf: data)
            try handle.synchronize()
            if let permissions { try fm.setAttributes([.posixPermissions: permissions], ofItemAtPath: temporary.path) }
        } catch let error as SupportError {
            try? fm.removeItem(at: temporary)
            throw error
        } catch {
            try? fm.removeItem(at: temporary)
            throw SupportError.io(path: url.path, reason: "cannot write: \(error.localizedDescription)")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let code = errno
            try? fm.removeItem(at: temporary)
            throw SupportError.io(path: url.path, reason: "cannot rename the temporary file into place (errno \(code): \(String(cString: strerror(code))))")
        }
    }

    /// Writes UTF-8 text.
    public static func write(_ text: String, to url: URL, permissions: Int? = nil) throws {
        try write(Data(text.utf8), to: url, permissions: permissions)
    }
}
