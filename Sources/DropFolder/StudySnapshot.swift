import Foundation
import Support

/// What a study folder holds at one moment: every regular file with its size and modification
/// time. Two equal snapshots `settle` seconds apart mean nothing is still arriving.
struct StudySnapshot: Equatable, Sendable {
    struct File: Equatable, Sendable {
        let relativePath: String
        let size: Int64
        let modified: Double
    }

    let files: [File]

    /// True when a `READY` file marks the study as complete.
    var hasReadyMarker: Bool { files.contains { $0.relativePath == "READY" } }

    /// Walks `folder`; a symbolic link, a special file or an unreadable entry anywhere inside
    /// makes the whole study unsafe (nothing may lead out of the inbox).
    static func take(_ folder: URL) throws -> StudySnapshot {
        var files: [File] = []
        func walk(_ url: URL, _ prefix: String) throws {
            for entry in try InboxEntry.list(url) {
                guard let name = entry.name else {
                    throw DropFolderError.unsafeStudy(name: folder.lastPathComponent, reason: "it contains a file whose name is unsafe (\(entry.printableName))")
                }
                let child = url.appendingPathComponent(name)
                let relative = prefix.isEmpty ? name : prefix + "/" + name
                if entry.isSymbolicLink {
                    throw DropFolderError.unsafeStudy(name: folder.lastPathComponent, reason: "it contains a symbolic link (\(relative)); copy the files in instead")
                }
                if entry.isDirectory {
                    try walk(child, relative)
                    continue
                }
                var st = stat()
                guard lstat(child.path, &st) == 0 else { continue }
                guard st.st_mode & S_IFMT == S_IFREG else {
                    throw DropFolderError.unsafeStudy(name: folder.lastPathComponent, reason: "\(relative) is not a regular file")
                }
                files.append(File(relativePath: relative, size: Int64(st.st_size),
                                  modified: Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) * 1e-9))
            }
        }
        try walk(folder, "")
        return StudySnapshot(files: files.sorted { $0.relativePath < $1.relativePath })
    }

    /// SHA-256 over every file's relative path and bytes (READY excluded): the same images
    /// dropped twice have the same hash, whatever their folder's name or time stamps.
    func contentHash(in folder: URL) throws -> String {
        var digestInput = Data()
        for f in files where f.relativePath != "READY" {
            guard let bytes = FileManager.default.contents(atPath: folder.appendingPathComponent(f.relativePath).path) else {
                throw DropFolderError.folder(path: folder.appendingPathComponent(f.relativePath).path, reason: "cannot be read")
            }
            digestInput.append(contentsOf: Array(f.relativePath.utf8) + [0])
            digestInput.append(contentsOf: Array(SHA256.hex(bytes).utf8) + [0])
        }
        return SHA256.hex(digestInput)
    }
}
