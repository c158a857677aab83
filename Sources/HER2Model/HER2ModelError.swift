/// What can go wrong in the domain room: bad arguments, outputs that would overwrite, studies
/// that break the study-folder contract.
public enum HER2ModelError: Error, Equatable, CustomStringConvertible {
    case invalidArgument(String)
    case outputExists(String)
    case invalidStudy(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidArgument(let why): return why
        case .outputExists(let path):
            return "\(path): the output folder exists and is not empty; potential fix: choose a new --out folder"
        case let .invalidStudy(path, why): return "\(path): \(why)"
        }
    }
}
