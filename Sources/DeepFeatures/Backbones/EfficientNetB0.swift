/// torchvision's `efficientnet_b0` (Tan & Le 2019) in feature mode: the 1280-d global average
/// pool before the classifier. MBConv blocks: 1×1 expand (ratio 6, skipped for ratio 1),
/// depthwise k×k, squeeze-and-excitation (squeeze = max(1, in/4)), 1×1 project without
/// activation, residual when stride 1 and in = out. SiLU everywhere; batch norm eps 1e-5
/// (torchvision's B0–B7 use the default), folded at load time.
public final class EfficientNetB0: FeatureNetwork {
    /// One MBConv block.
    final class MBConv {
        let expand: Conv2D?
        let depthwise: Conv2D
        let se: SqueezeExcitation
        let project: Conv2D
        let residual: Bool

        init(_ w: WeightSource, _ p: String, expandRatio: Int, kernel: Int, stride: Int, inChannels: Int, outChannels: Int) throws {
            let expanded = inChannels * expandRatio
            var i = 0
            if expandRatio != 1 {
                expand = try Conv2D(weights: w, prefix: "\(p).block.0.0", batchNorm: "\(p).block.0.1",
                                    outChannels: expanded, inChannels: inChannels, kernel: 1, activation: .silu)
                i = 1
            } else {
                expand = nil
            }
            depthwise = try Conv2D(weights: w, prefix: "\(p).block.\(i).0", batchNorm: "\(p).block.\(i).1",
                                   outChannels: expanded, inChannels: expanded, kernel: kernel, stride: stride,
                                   padding: (kernel - 1) / 2, groups: expanded, activation: .silu)
            se = try SqueezeExcitation(weights: w, prefix: "\(p).block.\(i + 1)", channels: expanded, squeeze: max(1, inChannels / 4))
            project = try Conv2D(weights: w, prefix: "\(p).block.\(i + 2).0", batchNorm: "\(p).block.\(i + 2).1",
                                 outChannels: outChannels, inChannels: expanded, kernel: 1)
            residual = stride == 1 && inChannels == outChannels
        }

        /// Replaces `x` by the block's output (in x's own buffer when the block is residual).
        func forward(_ x: inout Tensor, _ o: InferenceOptions) throws {
            var y = try depthwise.forward(try expand?.forward(x, options: o) ?? x, options: o)
            try se.scale(&y, options: o)
            if residual {
                try project.forward(y, accumulatingInto: &x, options: o)
            } else {
                x = try project.forward(y, options: o)
            }
        }
    }

    /// (expand ratio, kernel, stride, in, out, layers) of the seven stages (torchvision's `_efficientnet_conf`).
    static let stages: [(Int, Int, Int, Int, Int, Int)] = [
        (1, 3, 1, 32, 16, 1), (6, 3, 2, 16, 24, 2), (6, 5, 2, 24, 40, 2), (6, 3, 2, 40, 80, 3),
        (6, 5, 1, 80, 112, 3), (6, 5, 2, 112, 192, 4), (6, 3, 1, 192, 320, 1),
    ]

    let stem: Conv2D
    let blocks: [MBConv]
    let head: Conv2D
    /// 1280.
    public let featureDimension = 1280

    /// Builds the network from `features.0.*` … `features.8.*`.
    public init(weights w: WeightSource) throws {
        stem = try Conv2D(weights: w, prefix: "features.0.0", batchNorm: "features.0.1", outChannels: 32, inChannels: 3,
                          kernel: 3, stride: 2, padding: 1, activation: .silu)
        var blocks: [MBConv] = []
        for (s, (ratio, kernel, stride, inC, outC, layers)) in EfficientNetB0.stages.enumerated() {
            for i in 0..<layers {
                blocks.append(try MBConv(w, "features.\(s + 1).\(i)", expandRatio: ratio, kernel: kernel,
                                         stride: i == 0 ? stride : 1, inChannels: i == 0 ? inC : outC, outChannels: outC))
            }
        }
        self.blocks = blocks
        head = try Conv2D(weights: w, prefix: "features.8.0", batchNorm: "features.8.1", outChannels: 1280,
                          inChannels: 320, kernel: 1, activation: .silu)
    }

    public func features(_ images: Tensor, options: InferenceOptions) throws -> Tensor {
        var x = try stem.forward(images, options: options)
        for block in blocks { try block.forward(&x, options) }
        return Pooling.globalAverage(try head.forward(x, options: options), threads: options.threads)
    }

    public func multiplyAdds(height: Int, width: Int) -> Int {
        var total = stem.multiplyAdds(height, width)
        var (h, w) = stem.outputSize(height, width)
        for b in blocks {
            total += b.expand?.multiplyAdds(h, w) ?? 0
            total += b.depthwise.multiplyAdds(h, w)
            (h, w) = b.depthwise.outputSize(h, w)
            total += b.project.multiplyAdds(h, w)
            total += 2 * b.se.fc1.inFeatures * b.se.fc1.outFeatures
        }
        return total + head.multiplyAdds(h, w)
    }
}
