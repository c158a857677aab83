/// What can go wrong in the plumbing: a file that cannot be written or renamed.
public enum SupportError: Error, Equatable, CustomStringConvertible {
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case let .io(path, reason): return "\(path): \(reason)"
        }
    }
}
