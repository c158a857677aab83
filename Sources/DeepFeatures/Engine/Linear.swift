import Foundation

/// A fully connected layer `y = act(x·Wᵀ + b + residual)` over the last dimension, with
/// PyTorch's weight layout (out, in).
public final class Linear {
    /// Input features.
    public let inFeatures: Int
    /// Output features.
    public let outFeatures: Int
    /// Function applied last.
    public let activation: Activation
    /// Weights, (out, in) row-major.
    public let weights: [Float]
    /// Bias (zeros when the layer has none).
    public let bias: [Float]
    private var primitives: [String: DNNLMatMul] = [:]

    /// A layer with the given weights and bias.
    public init(inFeatures: Int, outFeatures: Int, activation: Activation = .identity, weights: [Float], bias: [Float]?) {
        precondition(weights.count == inFeatures * outFeatures)
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        self.activation = activation
        self.weights = weights
        self.bias = bias ?? [Float](repeating: 0, count: outFeatures)
    }

    /// The layer `prefix.weight` / `prefix.bias` of a weight source. A weight stored as a 1×1
    /// convolution (out, in, 1, 1) is accepted with `convShaped`.
    public convenience init(weights source: WeightSource, prefix: String, inFeatures: Int, outFeatures: Int,
                            activation: Activation = .identity, convShaped: Bool = false) throws {
        let shape = convShaped ? [outFeatures, inFeatures, 1, 1] : [outFeatures, inFeatures]
        let w = try source.tensor("\(prefix).weight", shape: shape)
        let b = try source.tensor("\(prefix).bias", shape: [outFeatures])
        self.init(inFeatures: inFeatures, outFeatures: outFeatures, activation: activation, weights: w, bias: b)
    }

    /// Applies the layer to every row of `x` (last dimension `inFeatures`); `residual` has the
    /// output's shape and is added before the activation.
    public func forward(_ x: Tensor, residual: Tensor? = nil, options: InferenceOptions) throws -> Tensor {
        precondition(x.shape.last == inFeatures, "Linear: input \(x.shape), want last dim \(inFeatures)")
        let rows = x.count / inFeatures
        let outShape = Array(x.shape.dropLast()) + [outFeatures]
        var out: Tensor
        if let residual {
            precondition(residual.shape == outShape)
            out = residual
        } else {
            out = Tensor(zeros: outShape)
        }
        switch options.backend {
        case .oneDNN:
            DNNLRuntime.setThreads(options.threads)
            let key = "\(rows)x\(residual != nil)t\(options.threads)"
            let primitive: DNNLMatMul
            if let cached = primitives[key] {
                primitive = cached
            } else {
                var ops: [DNNLRuntime.PostOp] = residual != nil ? [.sum] : []
                if let op = activation.postOp { ops.append(op) }
                primitive = try DNNLMatMul(rows: rows, inFeatures: inFeatures, outFeatures: outFeatures, postOps: ops)
                primitives[key] = primitive
            }
            try x.storage.withUnsafeBufferPointer { src in
                try weights.withUnsafeBufferPointer { w in
                    try bias.withUnsafeBufferPointer { b in
                        try out.storage.withUnsafeMutableBufferPointer { dst in
                            try primitive.run(src: src.baseAddress!, weights: w.baseAddress!, bias: b.baseAddress!, dst: dst.baseAddress!)
                        }
                    }
                }
            }
        case .reference:
            let (k, n, act, accumulate) = (inFeatures, outFeatures, activation, residual != nil)
            x.storage.withUnsafeBufferPointer { src in
                weights.withUnsafeBufferPointer { w in
                    bias.withUnsafeBufferPointer { b in
                        out.storage.withUnsafeMutableBufferPointer { dstBuffer in
                            let dst = UncheckedBox(dstBuffer.baseAddress!)
                            Parallel.forEachChunk(count: rows, threads: options.threads) { range in
                                for r in range {
                                    for j in 0..<n {
                                        var sum: Float = 0
                                        for i in 0..<k { sum += src[r * k + i] * w[j * k + i] }
                                        let prior = accumulate ? dst.value[r * n + j] : 0
                                        dst.value[r * n + j] = act.apply(sum + b[j] + prior)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}
