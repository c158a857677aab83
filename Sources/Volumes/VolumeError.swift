import Foundation

/// What can go wrong with a grid (a size or geometry that cannot describe an image) or with a
/// registration (settings, images that do not overlap).
public enum VolumeError: Error, Equatable, CustomStringConvertible {
    case invalidSize(String)
    case invalidGeometry(String)
    /// A registration that cannot run (settings, image shape), with the reason.
    case registration(String)
    /// Too few of the fixed image's samples map inside the moving image.
    case noOverlap(fixed: String, moving: String, fraction: Double, required: Double)

    public var description: String {
        switch self {
        case .invalidSize(let why): return "invalid volume size: \(why)"
        case .invalidGeometry(let why): return "invalid volume geometry: \(why)"
        case .registration(let why): return "registration: \(why)"
        case .noOverlap(let fixed, let moving, let fraction, let required):
            return "registration of '\(moving)' to '\(fixed)' failed: only "
                + String(format: "%.1f %%", 100 * fraction) + " of the samples of '\(fixed)' map inside '\(moving)' (at least "
                + String(format: "%.0f %%", 100 * required) + " needed); the two images do not overlap in world space. "
                + "Potential fix: check that both come from the same examination (frame of reference) and that their geometry headers (origin, direction) are right"
        }
    }
}
