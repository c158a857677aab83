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
        let gates = try fc2.forward(try fc1.forward(Pooling.globalAverage(x, threads: options.threads), options: options), options: options)
        x.storage.withUnsafeMutableBufferPointer { buffer in
            gates.storage.withUnsafeBufferPointer { g in
                let (p, s) = (UncheckedBox(buffer.baseAddress!), UncheckedBox(g.baseAddress!))
                Parallel.forEachChunk(count: n * h * w, threads: options.threads) { pixels in
                    for pixel in pixels {
                        let row = p.value + pixel * c, gate = s.value + (pixel / (h * w)) * c
                        for ch in 0..<c { row[ch] *= gate[ch] }
                    }
                }
            }
        }
    }
}
