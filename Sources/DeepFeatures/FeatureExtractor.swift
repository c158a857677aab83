import Foundation

/// A backbone with its weights, ready to turn PyTorch-layout image batches into features:
/// the room's public entry point (`her2mri embed` is a thin wrapper around `embedFile`).
public final class FeatureExtractor {
    /// Which network.
    public let backbone: Backbone
    /// Which feature layer.
    public let layer: String
    /// `sha256:<hex>` of the weights file, or `seeded:<seed>`.
    public let weightsIdentity: String
    /// True when no pretrained file was given: the features have no learned meaning.
    public let isSeeded: Bool
    /// The network.
    public let network: FeatureNetwork

    /// Seed used when no weights file is given.
    public static let defaultSeed: UInt64 = 20_261_126

    /// Loads `backbone` from a safetensors `state_dict()` file, or seeded weights when `weightsFile` is nil.
    public convenience init(backbone: Backbone, layer: String? = nil, weightsFile: String?, seed: UInt64 = FeatureExtractor.defaultSeed) throws {
        let source: WeightSource = try weightsFile.map { try SafeTensorsFile(path: $0) } ?? SeededWeights(backbone: backbone, seed: seed)
        try self.init(backbone: backbone, layer: layer, weights: source)
    }

    /// Loads `backbone` from any weight source.
    public init(backbone: Backbone, layer: String? = nil, weights: WeightSource) throws {
        self.backbone = backbone
        self.layer = layer ?? backbone.layers[0]
        network = try backbone.network(weights: weights, layer: layer)
        weightsIdentity = weights.identity
        isSeeded = weights is SeededWeights
    }

    /// Features of an NCHW batch (N, 3, H, W) of normalised images, as (N, D).
    public func embed(nchw images: Tensor, options: InferenceOptions = InferenceOptions(), batchSize: Int = 8) throws -> Tensor {
        guard images.shape.count == 4, images.shape[1] == 3 else {
            throw DeepFeaturesError.badInput(file: "input", detail: "shape \(images.shape); expected (N, 3, 224, 224)")
        }
        let (n, c, h, w) = (images.shape[0], 3, images.shape[2], images.shape[3])
        let d = network.featureDimension
        var out = Tensor(zeros: [n, d])
        var start = 0
        while start < n {
            let end = min(n, start + max(1, batchSize))
            let slice = Tensor(shape: [end - start, c, h, w], storage: Array(images.storage[(start * c * h * w)..<(end * c * h * w)]))
            let f = try network.features(Tensor.fromNCHW(slice), options: options)
            out.storage.replaceSubrange((start * d)..<(end * d), with: f.storage)
            start = end
        }
        return out
    }

    /// Reads `(N, 3, 224, 224)` float32 from `input` (.npy), writes `(N, D)` float32 to `output`.
    /// Refuses wrong shapes and non-finite values with an error naming the file.
    public func embedFile(input: String, output: String, options: InferenceOptions = InferenceOptions(), batchSize: Int = 8) throws -> Tensor {
        let x = try NPY.read(path: input)
        guard x.shape.count == 4, x.shape[0] >= 1, x.shape[1] == 3, x.shape[2] == 224, x.shape[3] == 224 else {
            throw DeepFeaturesError.badInput(file: input, detail: "shape \(x.shape); expected (N, 3, 224, 224) float32, normalised with the ImageNet mean and std")
        }
        if let bad = x.storage.firstIndex(where: { !$0.isFinite }) {
            throw DeepFeaturesError.badInput(file: input, detail: "non-finite value at flat index \(bad)")
        }
        let features = try embed(nchw: x, options: options, batchSize: batchSize)
        try NPY.write(features, path: output)
        return features
    }
}
