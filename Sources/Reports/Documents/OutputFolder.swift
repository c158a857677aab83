import Foundation

/// Writes a set of files into a folder all at once: they are written into a fresh temporary
/// folder beside it, then renamed into place, so a failure leaves nothing partial (the
/// temporary folder is removed) and readers never see half a file.
enum OutputFolder {
    static func write(_ files: [(name: String, data: Data)], to out: String) throws {
        let fm = FileManager.default
        let outURL = URL(fileURLWithPath: out).standardizedFileURL
        let parent = outURL.deletingLastPathComponent()
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: outURL.path, isDirectory: &isDir), !isDir.boolValue {
            throw ReportsError.output(path: out, reason: "exists and is not a folder")
        }
        do { try fm.createDirectory(at: parent, withIntermediateDirectories: true) } catch {
            throw ReportsError.output(path: parent.path, reason: "cannot create the parent folder (\(error.localizedDescription))")
        }
        let temp = parent.appendingPathComponent(".\(outURL.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try fm.createDirectory(at: temp, withIntermediateDirectories: false)
            for f in files { try f.data.write(to: temp.appendingPathComponent(f.name)) }
            if fm.fileExists(atPath: outURL.path) {
                for f in files {
                    let dst = outURL.appendingPathComponent(f.name)
                    if rename(temp.appendingPathComponent(f.name).path, dst.path) != 0 {
                        throw ReportsError.output(path: dst.path, reason: String(cString: strerror(errno)))
                    }
                }
                try? fm.removeItem(at: temp)
            } else if rename(temp.path, outURL.path) != 0 {
                throw ReportsError.output(path: out, reason: String(cString: strerror(errno)))
            }
        } catch {
            try? fm.removeItem(at: temp)
            if let e = error as? ReportsError { throw e }
            throw ReportsError.output(path: out, reason: error.localizedDescription)
        }
    }
}
