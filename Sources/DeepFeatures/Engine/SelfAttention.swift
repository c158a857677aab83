import Foundation

/// Multi-head self-attention as timm's `Attention` (Vaswani et al. 2017; Dosovitskiy et al.
/// 2021): qkv = x·W_qkvᵀ + b laid out as (3, heads, headDim) per token; for each head
/// softmax(q·kᵀ/√headDim)·v; heads concatenated; then the output projection, here with the
/// block's residual added in the same step. The 1/√headDim scale is folded into the q rows of
/// W_qkv and b_qkv at load time (exact for ViT-S: 1/8).
public final class SelfAttention {
    /// Number of heads.
    public let heads: Int
    /// Model width.
    public let dim: Int
    let qkv: Linear
    let proj: Linear
    private let softmax = Softmax()
    private var products: [String: (DNNLBatchedMatMul, DNNLBatchedMatMul)] = [:]

    /// The attention `prefix.qkv` / `prefix.proj` of a weight source.
    public init(weights source: WeightSource, prefix: String, dim: Int, heads: Int) throws {
        self.dim = dim
        self.heads = heads
        let scale = Float(1 / Double(dim / heads).squareRoot())
        var w = try source.tensor("\(prefix).qkv.weight", shape: [3 * dim, dim])
        var b = try source.tensor("\(prefix).qkv.bias", shape: [3 * dim])
        for i in 0..<(dim * dim) { w[i] *= scale }
        for i in 0..<dim { b[i] *= scale }
        qkv = Linear(inFeatures: dim, outFeatures: 3 * dim, weights: w, bias: b)
        proj = try Linear(weights: source, prefix: "\(prefix).proj", inFeatures: dim, outFeatures: dim)
    }

    /// `residual + proj(attention(x))` for x of shape (batch, tokens, dim).
    public func forward(_ x: Tensor, residual: Tensor, options: InferenceOptions) throws -> Tensor {
        let (n, t) = (x.shape[0], x.shape[1])
        let (hd, ld, h) = (dim / heads, 3 * dim, heads)
        let qkvOut = try qkv.forward(x, options: options)
        var scores = [Float](repeating: 0, count: n * h * t * t)
        var context = Tensor(zeros: [n, t, dim])
        try qkvOut.storage.withUnsafeBufferPointer { qkvBuffer in
            try scores.withUnsafeMutableBufferPointer { sBuffer in
                try context.storage.withUnsafeMutableBufferPointer { cBuffer in
                    let base = qkvBuffer.baseAddress!, s = sBuffer.baseAddress!, c = cBuffer.baseAddress!
                    switch options.backend {
                    case .oneDNN:
                        DNNLRuntime.setThreads(options.threads)
                        let key = "\(n)t\(options.threads)"
                        if products[key] == nil {
                            typealias O = DNNLBatchedMatMul.Operand
                            let q = O(dims: [n, h, t, hd], strides: [t * ld, hd, ld, 1])
                            let kT = O(dims: [n, h, hd, t], strides: [t * ld, hd, 1, ld])
                            let p = O(dims: [n, h, t, t], strides: [h * t * t, t * t, t, 1])
                            let v = O(dims: [n, h, t, hd], strides: [t * ld, hd, ld, 1])
                            let ctx = O(dims: [n, h, t, hd], strides: [t * dim, hd, dim, 1])
                            products[key] = (try DNNLBatchedMatMul(src: q, weights: kT, dst: p),
                                           try DNNLBatchedMatMul(src: p, weights: v, dst: ctx))
                        }
                        guard let (qk, pv) = products[key] else { return }
                        try qk.run(src: base, weights: base + dim, dst: s)
                        try softmax.apply(s, rows: n * h * t, cols: t, options: options)
                        try pv.run(src: s, weights: base + 2 * dim, dst: c)
                    case .reference:
                        for b in 0..<n {
                            for head in 0..<h {
                                let q = base + b * t * ld + head * hd, k = q + dim
                                let out = s + (b * h + head) * t * t
                                for i in 0..<t {
                                    for j in 0..<t {
                                        var sum: Float = 0
                                        for p in 0..<hd { sum += q[i * ld + p] * k[j * ld + p] }
                                        out[i * t + j] = sum
                                    }
                                }
                            }
                        }
                        try softmax.apply(s, rows: n * h * t, cols: t, options: options)
                        for b in 0..<n {
                            for head in 0..<h {
                                let v = base + b * t * ld + 2 * dim + head * hd
                                let p = s + (b * h + head) * t * t
                                let out = c + b * t * dim + head * hd
                                for i in 0..<t {
                                    for j in 0..<hd {
                                        var sum: Float = 0
                                        for r in 0..<t { sum += p[i * t + r] * v[r * ld + j] }
                                        out[i * dim + j] = sum
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return try proj.forward(context, residual: residual, options: options)
    }
}
