/// Everything in this room that a user or a file can cause. Each case names what was wrong
/// and, where one exists, the likely fix.
public enum BiostatisticsError: Error, Equatable, CustomStringConvertible {
    /// An input vector or table had no rows.
    case empty(what: String)
    /// A value was NaN or infinite.
    case nonFinite(what: String, index: Int)
    /// Two inputs that must match in length did not.
    case lengthMismatch(what: String, expected: Int, actual: Int)
    /// A label other than 0 or 1.
    case notBinary(what: String, index: Int, value: Double)
    /// The outcome had only one class (or too few of one class) where both are needed.
    case oneClassOnly(what: String, positives: Int, negatives: Int)
    /// Logistic regression: some combination of predictors separates the classes perfectly.
    case perfectSeparation(detail: String)
    /// Logistic regression: the design matrix is not of full column rank.
    case singularDesign(detail: String)
    /// A setting or argument outside its domain.
    case invalidArgument(String)
    /// A CSV file could not be read as a table of numbers.
    case csv(path: String, line: Int, reason: String)
    /// A column the caller asked for is not in the table.
    case missingColumn(path: String, name: String)

    public var description: String {
        switch self {
        case let .empty(what):
            return "\(what) is empty"
        case let .nonFinite(what, index):
            return "\(what) has a NaN or infinite value at position \(index + 1); "
                + "potential fix: remove or impute missing values first"
        case let .lengthMismatch(what, expected, actual):
            return "\(what): expected \(expected) values, got \(actual)"
        case let .notBinary(what, index, value):
            return "\(what) must be 0 or 1, found \(value) at position \(index + 1)"
        case let .oneClassOnly(what, pos, neg):
            return "\(what) needs both classes (found \(pos) positive, \(neg) negative)"
        case let .perfectSeparation(detail):
            return "logistic regression: perfect or quasi-complete separation (\(detail)); "
                + "maximum-likelihood estimates do not exist; potential fix: remove the separating "
                + "predictor or use penalised (LASSO) regression"
        case let .singularDesign(detail):
            return "logistic regression: singular design (\(detail)); "
                + "potential fix: remove constant or collinear predictors"
        case let .invalidArgument(message):
            return message
        case let .csv(path, line, reason):
            return "\(path):\(line): \(reason)"
        case let .missingColumn(path, name):
            return "\(path): no column named \"\(name)\""
        }
    }
}
