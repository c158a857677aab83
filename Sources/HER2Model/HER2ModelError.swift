/// What can go wrong in the domain room: bad arguments, outputs that would overwrite, studies
/// that break the study-folder contract.
public enum HER2ModelError: Error, Equatable, CustomStringConvertible {
    case invalidArgument(String)
    case outputExists(String)
    case invalidStudy(path: String, reason: String)
    /// A feature table (CSV) that breaks its format: file, line (1-based), column name and fault.
    case invalidFeatureTable(path: String, line: Int, column: String?, reason: String)
    /// A model.json that cannot be used: wrong schema version, hash mismatch, unreadable.
    case invalidModel(path: String, reason: String)
    /// Training could not produce a model from these data (one class, nothing selected, …).
    case trainingFailed(String)

    public var description: String {
        switch self {
        case .invalidArgument(let why): return why
        case .outputExists(let path):
            return "\(path): the output folder exists and is not empty; potential fix: choose a new --out folder"
        case let .invalidStudy(path, why): return "\(path): \(why)"
        case let .invalidFeatureTable(path, line, column, why):
            let at = column.map { ", column \"\($0)\"" } ?? ""
            return "\(path):\(line)\(at): \(why)"
        case let .invalidModel(path, why): return "\(path): \(why)"
        case let .trainingFailed(why): return "training failed: \(why)"
        }
    }
}
