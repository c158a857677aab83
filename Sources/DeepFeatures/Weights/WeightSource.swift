/// Where a network's parameters come from, by their torchvision / timm `state_dict()` names.
public protocol WeightSource: AnyObject {
    /// The float32 elements of tensor `name`, which must have exactly `shape`.
    func tensor(_ name: String, shape: [Int]) throws -> [Float]
    /// Whether the source holds `name`.
    func contains(_ name: String) -> Bool
    /// What the weights are, for provenance: `sha256:<hex>` of a file or `seeded:<seed>`.
    var identity: String { get }
}

/// Several sources consulted in order: the first one holding a name answers.
public final class LayeredWeights: WeightSource {
    /// The sources, first wins.
    public let layers: [WeightSource]

    /// Consults `layers` in order.
    public init(_ layers: [WeightSource]) { self.layers = layers }

    public func tensor(_ name: String, shape: [Int]) throws -> [Float] {
        for layer in layers where layer.contains(name) { return try layer.tensor(name, shape: shape) }
        guard let last = layers.last else { throw DeepFeaturesError.missingTensor(name: name, file: "(no weights)") }
        return try last.tensor(name, shape: shape)
    }

    public func contains(_ name: String) -> Bool { layers.contains { $0.contains(name) } }

    public var identity: String { layers.map(\.identity).joined(separator: "+") }
}
