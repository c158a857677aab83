/// torchvision's `resnet50` (He et al. 2016, "v1.5": the stride sits on the 3×3 convolution of
/// each bottleneck) in feature mode: the 2048-d global average pool before `fc`.
/// Batch norms (eps 1e-5) are folded into the convolutions at load time.
public final class ResNet50: FeatureNetwork {
    /// One bottleneck: 1×1 reduce, 3×3 (stride), 1×1 expand with the residual fused in.
    final class Bottleneck {
        let conv1: Conv2D, conv2: Conv2D, conv3: Conv2D
        let downsample: Conv2D?

        init(_ w: WeightSource, _ p: String, inChannels: Int, width: Int, stride: Int) throws {
            let out = width * 4
            conv1 = try Conv2D(weights: w, prefix: "\(p).conv1", batchNorm: "\(p).bn1", outChannels: width,
                               inChannels: inChannels, kernel: 1, activation: .relu)
            conv2 = try Conv2D(weights: w, prefix: "\(p).conv2", batchNorm: "\(p).bn2", outChannels: width,
                               inChannels: width, kernel: 3, stride: stride, padding: 1, activation: .relu)
            conv3 = try Conv2D(weights: w, prefix: "\(p).conv3", batchNorm: "\(p).bn3", outChannels: out,
                               inChannels: width, kernel: 1, activation: .relu)
            downsample = (stride != 1 || inChannels != out)
                ? try Conv2D(weights: w, prefix: "\(p).downsample.0", batchNorm: "\(p).downsample.1",
                             outChannels: out, inChannels: inChannels, kernel: 1, stride: stride)
                : nil
        }

        /// Replaces `x` by the block's output; without a downsample, x's own buffer receives it.
        func forward(_ x: inout Tensor, _ o: InferenceOptions) throws {
            let y = try conv2.forward(try conv1.forward(x, options: o), options: o)
            if let downsample {
                var identity = try downsample.forward(x, options: o)
                try conv3.forward(y, accumulatingInto: &identity, options: o)
                x = identity
            } else {
                try conv3.forward(y, accumulatingInto: &x, options: o)
            }
        }

        var convs: [Conv2D] { [conv1, conv2, conv3] + (downsample.map { [$0] } ?? []) }
    }

    let stem: Conv2D
    let blocks: [Bottleneck]
    /// 2048.
    public let featureDimension = 2048

    /// Builds the network from `state_dict()` names (`conv1.weight`, `bn1.*`, `layer1.0.conv1.weight`, …).
    public init(weights w: WeightSource) throws {
        stem = try Conv2D(weights: w, prefix: "conv1", batchNorm: "bn1", outChannels: 64, inChannels: 3,
                          kernel: 7, stride: 2, padding: 3, activation: .relu)
        var blocks: [Bottleneck] = []
        var inChannels = 64
        for (stage, (count, width)) in [(3, 64), (4, 128), (6, 256), (3, 512)].enumerated() {
            for i in 0..<count {
                let stride = (i == 0 && stage > 0) ? 2 : 1
                blocks.append(try Bottleneck(w, "layer\(stage + 1).\(i)", inChannels: inChannels, width: width, stride: stride))
                inChannels = width * 4
            }
        }
        self.blocks = blocks
    }

    public func features(_ images: Tensor, options: InferenceOptions) throws -> Tensor {
        var x = try stem.forward(images, options: options)
        x = Pooling.maxPool(x, kernel: 3, stride: 2, padding: 1, threads: options.threads)
        for block in blocks { try block.forward(&x, options) }
        return Pooling.globalAverage(x, threads: options.threads)
    }

    public func multiplyAdds(height: Int, width: Int) -> Int {
        var total = stem.multiplyAdds(height, width)
        var (h, w) = stem.outputSize(height, width)
        (h, w) = ((h + 2 - 3) / 2 + 1, (w + 2 - 3) / 2 + 1)
        for block in blocks {
            total += block.conv1.multiplyAdds(h, w)
            total += block.conv2.multiplyAdds(h, w)
            total += block.downsample?.multiplyAdds(h, w) ?? 0
            (h, w) = block.conv2.outputSize(h, w)
            total += block.conv3.multiplyAdds(h, w)
        }
        return total
    }
}
