/// Layer normalisation over the last dimension (Ba, Kiros & Hinton 2016), as PyTorch's
/// `nn.LayerNorm`: y = (x − mean)/√(var + ε)·γ + β with the biased variance.
public struct LayerNorm {
    /// γ.
    public let weight: [Float]
    /// β.
    public let bias: [Float]
    /// ε (timm's ViT uses 1e-6).
    public let eps: Double

    /// The norm `prefix.weight` / `prefix.bias` of a weight source.
    public init(weights source: WeightSource, prefix: String, features: Int, eps: Double) throws {
        weight = try source.tensor("\(prefix).weight", shape: [features])
        bias = try source.tensor("\(prefix).bias", shape: [features])
        self.eps = eps
    }

    /// Normalises every row (two-pass mean and variance).
    public func forward(_ x: Tensor, threads: Int) -> Tensor {
        let d = weight.count
        precondition(x.shape.last == d)
        let rows = x.count / d
        var out = Tensor(zeros: x.shape)
        let eps = self.eps
        x.storage.withUnsafeBufferPointer { src in
            weight.withUnsafeBufferPointer { g in
                bias.withUnsafeBufferPointer { b in
                    out.storage.withUnsafeMutableBufferPointer { dstBuffer in
                        let dst = UncheckedBox(dstBuffer.baseAddress!)
                        Parallel.forEachChunk(count: rows, threads: threads) { range in
                            for r in range {
                                let row = src.baseAddress! + r * d
                                var sum: Float = 0
                                for i in 0..<d { sum += row[i] }
                                let mean = sum / Float(d)
                                var sq: Float = 0
                                for i in 0..<d { let t = row[i] - mean; sq += t * t }
                                let inv = Float(1 / (Double(sq) / Double(d) + eps).squareRoot())
                                let o = dst.value + r * d
                                for i in 0..<d { o[i] = (row[i] - mean) * inv * g[i] + b[i] }
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}
