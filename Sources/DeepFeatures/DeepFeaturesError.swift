import Foundation

/// Everything that can go wrong in the DeepFeatures room; each case names the file or
/// tensor at fault and the message says how to fix it.
public enum DeepFeaturesError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A weights file lacks a tensor the network needs.
    case missingTensor(name: String, file: String)
    /// A tensor has another shape than the network expects.
    case wrongShape(name: String, expected: [Int], found: [Int], file: String)
    /// A tensor is stored in a dtype that cannot become float32 weights.
    case wrongDType(name: String, dtype: String, file: String)
    /// The file ends before the data its header announces.
    case truncatedFile(file: String, detail: String)
    /// The file is not what its format says (bad header, bad offsets, bad JSON).
    case malformedFile(file: String, detail: String)
    /// An input array has the wrong shape, dtype or values.
    case badInput(file: String, detail: String)
    /// A size is larger than anything this tool should allocate.
    case tooLarge(file: String, detail: String)
    /// An unknown backbone name.
    case unknownBackbone(String)
    /// A feature layer the backbone does not offer.
    case unknownLayer(backbone: String, layer: String)
    /// A file could not be read or written.
    case io(file: String, detail: String)
    /// oneDNN refused a primitive or failed to run it (a bug or an unsupported CPU).
    case kernelFailure(String)

    public var description: String {
        switch self {
        case let .missingTensor(name, file):
            return "\(file): tensor '\(name)' is missing. Potential fix: export the whole model.state_dict() of the matching torchvision/timm model with safetensors.torch.save_file."
        case let .wrongShape(name, expected, found, file):
            return "\(file): tensor '\(name)' has shape \(found), expected \(expected). Potential fix: the file belongs to another architecture."
        case let .wrongDType(name, dtype, file):
            return "\(file): tensor '\(name)' has dtype \(dtype); weights must be F32, F16 or BF16."
        case let .truncatedFile(file, detail):
            return "\(file): truncated file (\(detail))."
        case let .malformedFile(file, detail):
            return "\(file): malformed file (\(detail))."
        case let .badInput(file, detail):
            return "\(file): bad input (\(detail))."
        case let .tooLarge(file, detail):
            return "\(file): refused, too large (\(detail))."
        case let .unknownBackbone(name):
            return "unknown backbone '\(name)'; choose one of \(Backbone.allCases.map(\.rawValue).joined(separator: ", "))."
        case let .unknownLayer(backbone, layer):
            return "backbone '\(backbone)' has no feature layer '\(layer)'."
        case let .io(file, detail):
            return "\(file): \(detail)"
        case let .kernelFailure(detail):
            return "oneDNN failure: \(detail)"
        }
    }
}
