/// What can stop the watcher or fail one study, in words a PACS administrator understands.
public enum DropFolderError: Error, Equatable, CustomStringConvertible {
    /// A folder the watcher needs is unusable (missing, not a folder, unsafe permissions).
    case folder(path: String, reason: String)
    /// A study folder the watcher refuses to touch (its name or content could escape the inbox).
    case unsafeStudy(name: String, reason: String)
    /// The ledger (SQLite) could not be opened or written.
    case ledger(path: String, reason: String)
    /// Moving a study or its outputs failed.
    case move(from: String, to: String, reason: String)

    public var description: String {
        switch self {
        case let .folder(path, reason): return "\(path): \(reason)"
        case let .unsafeStudy(name, reason): return "study folder \(name.debugDescription): \(reason)"
        case let .ledger(path, reason): return "ledger \(path): \(reason)"
        case let .move(from, to, reason): return "cannot move \(from) to \(to): \(reason)"
        }
    }
}
