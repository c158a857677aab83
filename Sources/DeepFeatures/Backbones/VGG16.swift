import Foundation

/// torchvision's `vgg16` (Simonyan & Zisserman 2015, configuration D) in feature mode:
/// `fc7` (classifier[4], after its ReLU, 4096-d) or `gap` (the 512-d global average of
/// `features`' output, i.e. after the fifth max pool).
public final class VGG16: FeatureNetwork {
    /// Which features to return.
    public enum Layer: String, Sendable, CaseIterable {
        /// 4096-d output of the second fully connected layer after ReLU.
        case fc7
        /// 512-d global average pool of the last convolution block.
        case gap
    }

    /// Configuration D: channel counts, 0 for a 2×2 max pool.
    static let configuration = [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0]

    let convs: [Conv2D?]
    let fc6: Linear?
    let fc7: Linear?
    /// The layer returned.
    public let layer: Layer
    public var featureDimension: Int { layer == .fc7 ? 4096 : 512 }

    /// Builds the network from `features.N.*` and `classifier.{0,3}.*`; the classifier is not
    /// loaded for `gap`. `classifier.0.weight`'s columns are permuted once from PyTorch's
    /// (C, H, W) flattening to this room's (H, W, C).
    public init(weights w: WeightSource, layer: Layer = .fc7) throws {
        self.layer = layer
        var convs: [Conv2D?] = []
        var index = 0, inChannels = 3
        for c in VGG16.configuration {
            if c == 0 {
                convs.append(nil)
                index += 1
            } else {
                convs.append(try Conv2D(weights: w, prefix: "features.\(index)", bias: true, batchNorm: nil,
                                        outChannels: c, inChannels: inChannels, kernel: 3, padding: 1, activation: .relu))
                inChannels = c
                index += 2
            }
        }
        self.convs = convs
        if layer == .fc7 {
            let raw = try w.tensor("classifier.0.weight", shape: [4096, 25088])
            var permuted = [Float](repeating: 0, count: raw.count)
            raw.withUnsafeBufferPointer { src in
                permuted.withUnsafeMutableBufferPointer { dst in
                    let s = UncheckedBox(src.baseAddress!), d = UncheckedBox(dst.baseAddress!)
                    // Rows are independent: on all cores (102 M values; a second on one core).
                    Parallel.forEachChunk(count: 4096, threads: ProcessInfo.processInfo.activeProcessorCount) { rows in
                        for o in rows {
                            let row = o * 25088
                            for c in 0..<512 {
                                for hw in 0..<49 { d.value[row + hw * 512 + c] = s.value[row + c * 49 + hw] }
                            }
                        }
                    }
                }
            }
            fc6 = Linear(inFeatures: 25088, outFeatures: 4096, activation: .relu, weights: permuted,
                         bias: try w.tensor("classifier.0.bias", shape: [4096]))
            fc7 = try Linear(weights: w, prefix: "classifier.3", inFeatures: 4096, outFeatures: 4096, activation: .relu)
        } else {
            fc6 = nil
            fc7 = nil
        }
    }

    public func features(_ images: Tensor, options: InferenceOptions) throws -> Tensor {
        var x = images
        for conv in convs {
            if let conv {
                x = try conv.forward(x, options: options)
            } else {
                x = Pooling.maxPool(x, kernel: 2, stride: 2, padding: 0, threads: options.threads)
            }
        }
        switch layer {
        case .gap:
            return Pooling.globalAverage(x, threads: options.threads)
        case .fc7:
            guard let fc6, let fc7 else { preconditionFailure("fc layers not loaded") }
            let pooled = Pooling.adaptiveAveragePool(x, outH: 7, outW: 7)
            let flat = pooled.reshaped([pooled.shape[0], 25088])
            return try fc7.forward(try fc6.forward(flat, options: options), options: options)
        }
    }

    public func multiplyAdds(height: Int, width: Int) -> Int {
        var total = 0
        var (h, w) = (height, width)
        for conv in convs {
            if let conv { total += conv.multiplyAdds(h, w) } else { (h, w) = (h / 2, w / 2) }
        }
        if layer == .fc7 { total += 25088 * 4096 + 4096 * 4096 }
        return total
    }
}
