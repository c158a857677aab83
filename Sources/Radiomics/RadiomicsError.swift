/// Everything a user or a file can get wrong in the Radiomics room. Each message says what
/// failed and, where one exists, the likely fix (pyradiomics' "Potential fix: …" habit).
public enum RadiomicsError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The mask holds no voxel of any label.
    case emptyMask
    /// The requested label does not occur in the mask; `present` lists the labels that do.
    case labelNotInMask(label: Int, present: [Int])
    /// Image and mask differ in size or placement.
    case gridMismatch(String)
    /// The region has one voxel, or fewer non-trivial dimensions than `minimumROIDimensions`.
    case regionTooSmall(String)
    /// A setting is out of range or inconsistent (bin width ≤ 0, spacing of the wrong length …).
    case invalidSetting(String)
    /// A parameter file could not be read or has a wrong type; `path` names the file.
    case parameterFile(path: String, message: String)
    /// The image holds a non-finite value inside the region.
    case nonFiniteIntensity(count: Int)

    public var description: String {
        switch self {
        case .emptyMask:
            return "the mask is empty (no voxel of any label). Potential fix: check that the mask belongs to this image"
        case let .labelNotInMask(label, present):
            let list = present.isEmpty ? "none" : present.map(String.init).joined(separator: ", ")
            return "label \(label) is not present in the mask (labels present: \(list)). Potential fix: set `label` in the parameter file"
        case let .gridMismatch(detail):
            return "image and mask are not on the same grid: \(detail). Potential fix: resample the mask onto the image grid"
        case let .regionTooSmall(detail):
            return "the region is too small: \(detail)"
        case let .invalidSetting(detail):
            return "invalid setting: \(detail)"
        case let .parameterFile(path, message):
            return "\(path): \(message)"
        case let .nonFiniteIntensity(count):
            return "the image has \(count) non-finite value(s) (NaN or infinity) inside the region"
        }
    }
}
