/// What can go wrong in this room: shapes that do not fit and matrices that cannot be factored.
public enum LinearAlgebraError: Error, Equatable, CustomStringConvertible {
    case shapeMismatch(operation: String, left: [Int], right: [Int])
    case singular(operation: String, pivot: Int)
    case lapackFailure(routine: String, info: Int32)

    public var description: String {
        switch self {
        case let .shapeMismatch(op, l, r):
            return "\(op): shapes \(l) and \(r) do not fit"
        case let .singular(op, pivot):
            return "\(op): the matrix is singular (zero pivot at position \(pivot)); "
                + "potential fix: remove collinear or constant columns"
        case let .lapackFailure(routine, info):
            return "LAPACK \(routine) failed with info = \(info)"
        }
    }
}
