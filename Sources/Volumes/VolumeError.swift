/// What can go wrong with a grid: a size or geometry that cannot describe an image.
public enum VolumeError: Error, Equatable, CustomStringConvertible {
    case invalidSize(String)
    case invalidGeometry(String)

    public var description: String {
        switch self {
        case .invalidSize(let why): return "invalid volume size: \(why)"
        case .invalidGeometry(let why): return "invalid volume geometry: \(why)"
        }
    }
}
