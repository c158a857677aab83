/// timm's `vit_small_patch16_224` (Dosovitskiy et al. 2021; width 384, depth 12, 6 heads, MLP
/// 1536, LayerNorm eps 1e-6, exact-erf GELU) in feature mode: the class token after the final
/// norm, 384-d (`forward_features(x)[:, 0]`, what timm returns with `num_classes=0`).
public final class ViTSmall: FeatureNetwork {
    /// One pre-norm transformer block: x + attn(norm1(x)), then x + mlp(norm2(x)).
    final class Block {
        let norm1: LayerNorm, norm2: LayerNorm
        let attention: SelfAttention
        let fc1: Linear, fc2: Linear

        init(_ w: WeightSource, _ p: String, _ variant: Variant) throws {
            norm1 = try LayerNorm(weights: w, prefix: "\(p).norm1", features: 384, eps: variant.layerNormEps)
            attention = try SelfAttention(weights: w, prefix: "\(p).attn", dim: 384, heads: 6)
            norm2 = try LayerNorm(weights: w, prefix: "\(p).norm2", features: 384, eps: variant.layerNormEps)
            fc1 = try Linear(weights: w, prefix: "\(p).mlp.fc1", inFeatures: 384, outFeatures: 1536, activation: variant.mlpActivation)
            fc2 = try Linear(weights: w, prefix: "\(p).mlp.fc2", inFeatures: 1536, outFeatures: 384)
        }

        func forward(_ x: Tensor, _ o: InferenceOptions) throws -> Tensor {
            let y = try attention.forward(norm1.forward(x, threads: o.threads), residual: x, options: o)
            return try fc2.forward(try fc1.forward(norm2.forward(y, threads: o.threads), options: o), residual: y, options: o)
        }
    }

    let patchEmbed: Conv2D
    let clsToken: [Float]
    let positions: [Float]
    let blocks: [Block]
    let norm: LayerNorm
    /// 384.
    public let featureDimension = 384

    /// The architecture's constants that a wrong implementation would get subtly wrong; only the
    /// parity tests build the other values, to show that they fail.
    struct Variant {
        /// timm's LayerNorm ε.
        var layerNormEps = 1e-6
        /// timm's MLP activation, exact GELU.
        var mlpActivation = Activation.gelu
    }

    /// Builds the network from timm's names (`cls_token`, `pos_embed`, `patch_embed.proj.*`,
    /// `blocks.N.*`, `norm.*`); a `head.*` in the file is ignored.
    public convenience init(weights w: WeightSource) throws {
        try self.init(weights: w, variant: Variant())
    }

    /// The network with the given constants (`Variant()` is timm's).
    init(weights w: WeightSource, variant: Variant) throws {
        patchEmbed = try Conv2D(weights: w, prefix: "patch_embed.proj", bias: true, batchNorm: nil,
                                outChannels: 384, inChannels: 3, kernel: 16, stride: 16)
        clsToken = try w.tensor("cls_token", shape: [1, 1, 384])
        positions = try w.tensor("pos_embed", shape: [1, 197, 384])
        blocks = try (0..<12).map { try Block(w, "blocks.\($0)", variant) }
        norm = try LayerNorm(weights: w, prefix: "norm", features: 384, eps: variant.layerNormEps)
    }

    public func features(_ images: Tensor, options: InferenceOptions) throws -> Tensor {
        guard images.shape[1] == 224 && images.shape[2] == 224 else {
            throw DeepFeaturesError.badInput(file: "input", detail: "ViT-Small/16 takes 224×224 images, got \(images.shape[1])×\(images.shape[2])")
        }
        let patches = try patchEmbed.forward(images, options: options) // (n, 14, 14, 384) = (n, 196, 384)
        let n = images.shape[0]
        var x = Tensor(zeros: [n, 197, 384])
        for b in 0..<n {
            let o = b * 197 * 384
            for i in 0..<384 { x.storage[o + i] = clsToken[i] + positions[i] }
            for t in 0..<196 {
                for i in 0..<384 {
                    x.storage[o + (t + 1) * 384 + i] = patches.storage[(b * 196 + t) * 384 + i] + positions[(t + 1) * 384 + i]
                }
            }
        }
        for block in blocks { x = try block.forward(x, options) }
        var cls = Tensor(zeros: [n, 384])
        for b in 0..<n {
            for i in 0..<384 { cls.storage[b * 384 + i] = x.storage[b * 197 * 384 + i] }
        }
        return norm.forward(cls, threads: options.threads)
    }

    public func multiplyAdds(height: Int, width: Int) -> Int {
        let t = 197, d = 384
        let perBlock = t * d * 3 * d + 2 * t * t * d + t * d * d + 2 * t * d * 4 * d
        return patchEmbed.multiplyAdds(height, width) + 12 * perBlock
    }
}
