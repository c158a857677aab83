/// What can go wrong when writing a synthetic cohort: a bad argument or an output that would
/// overwrite something.
public enum SyntheticCohortError: Error, Equatable, CustomStringConvertible {
    case invalidArgument(String)
    case outputExists(String)

    public var description: String {
        switch self {
        case .invalidArgument(let why): return why
        case .outputExists(let path):
            return "\(path): the output folder exists and is not empty; potential fix: choose a new --out folder"
        }
    }
}
