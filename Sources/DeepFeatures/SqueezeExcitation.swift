/// Squeeze-and-excitation (Hu, Shen & Sun 2018) as torchvision's `SqueezeExcitation`:
/// s = σ(fc2(SiLU(fc1(GAP(x))))), then every channel of x is scaled by s.
/// fc1 and fc2 are 1×1 convolutions in the state dict, (out, in, 1, 1) with bias.
public final class SqueezeExcitation {
    let fc1: Linear
    let fc2: Linear

    /// The block `prefix.fc1` / `prefix.fc2` of a weight source.
    public init(weights source: WeightSource, prefix: String, channels: Int, squeeze: Int) throws {
        fc1 = try Linear(weights: source, prefix: "\(prefix).fc1", inFeatures: channels, outFeatures: squeeze,
                         activation: .silu, convShaped: true)
        fc2 = try Linear(weights: source, prefix: "\(prefix).fc2", inFeatures: squeeze, outFeatures: channels,
                         activation: .sigmoid, convShaped: true)
    }

    /// Scales the channels of an NHWC batch by their gates, in place.
    public func scale(_ x: inout Tensor, options: InferenceOptions) throws {
        let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let gates = try fc2.forward(try fc1.forward(Pooling.globalAverage(x), options: options), options: options)
        x.storage.withUnsafeMutableBufferPointer { buffer in
            gates.storage.withUnsafeBufferPointer { g in
                for b in 0..<n {
                    for i in 0..<(h * w) {
                        let p = buffer.baseAddress! + (b * h * w + i) * c
                        let s = g.baseAddress! + b * c
                        for ch in 0..<c { p[ch] *= s[ch] }
                    }
                }
            }
        }
    }
}
