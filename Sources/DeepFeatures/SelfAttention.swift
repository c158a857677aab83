import CDNNL
import Foundation

/// Multi-head self-attention as timm's `Attention` (Vaswani et al. 2017; Dosovitskiy et al.
/// 2021): qkv = x·W_qkvᵀ + b laid out as (3, heads, headDim) per token; for each head
/// softmax(q·kᵀ/√headDim)·v; heads concatenated; then the output projection, here with the
/// block's residual added in the same step.
public final class SelfAttention {
    /// Number of heads.
    public let heads: Int
    /// Model width.
    public let dim: Int
    let qkv: Linear
    let proj: Linear
    private let softmax = Softmax()

    /// The attention `prefix.qkv` / `prefix.proj` of a weight source.
    public init(weights source: WeightSource, prefix: String, dim: Int, heads: Int) throws {
        self.dim = dim
        self.heads = heads
        qkv = try Linear(weights: source, prefix: "\(prefix).qkv", inFeatures: dim, outFeatures: 3 * dim)
        proj = try Linear(weights: source, prefix: "\(prefix).proj", inFeatures: dim, outFeatures: dim)
    }

    /// `residual + proj(attention(x))` for x of shape (batch, tokens, dim).
    public func forward(_ x: Tensor, residual: Tensor, options: InferenceOptions) throws -> Tensor {
        let (n, t) = (x.shape[0], x.shape[1])
        let hd = dim / heads
        let scale = Float(1 / Double(hd).squareRoot())
        let qkvOut = try qkv.forward(x, options: options)
        var scores = [Float](repeating: 0, count: n * heads * t * t)
        var context = Tensor(zeros: [n, t, dim])
        let ld = 3 * dim
        try qkvOut.storage.withUnsafeBufferPointer { qkvBuffer in
            try scores.withUnsafeMutableBufferPointer { sBuffer in
                try context.storage.withUnsafeMutableBufferPointer { cBuffer in
                    let base = qkvBuffer.baseAddress!, s = sBuffer.baseAddress!, c = cBuffer.baseAddress!
                    // scores[b, h] = scale · q_h k_hᵀ
                    for b in 0..<n {
                        for h in 0..<heads {
                            let q = base + b * t * ld + h * hd
                            let k = q + dim
                            try gemm(transB: true, m: t, n: t, k: hd, alpha: scale, a: q, lda: ld, b: k, ldb: ld,
                                     c: s + (b * heads + h) * t * t, ldc: t, options: options)
                        }
                    }
                    try softmax.apply(s, rows: n * heads * t, cols: t, options: options)
                    // context[b, :, h] = P_h v_h
                    for b in 0..<n {
                        for h in 0..<heads {
                            let v = base + b * t * ld + 2 * dim + h * hd
                            try gemm(transB: false, m: t, n: hd, k: t, alpha: 1, a: s + (b * heads + h) * t * t, lda: t,
                                     b: v, ldb: ld, c: c + b * t * dim + h * hd, ldc: dim, options: options)
                        }
                    }
                }
            }
        }
        return try proj.forward(context, residual: residual, options: options)
    }

    /// C = alpha·A·op(B) for row-major strided matrices (A is m×k; B is k×n, or n×k when
    /// `transB`): oneDNN's `dnnl_sgemm`, or a plain triple loop.
    private func gemm(transB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
                      b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
                      options: InferenceOptions) throws {
        switch options.backend {
        case .oneDNN:
            DNNLRuntime.setThreads(options.threads)
            try DNNLRuntime.check(dnnl_sgemm(CChar(UInt8(ascii: "N")), CChar(UInt8(ascii: transB ? "T" : "N")),
                                             Int64(m), Int64(n), Int64(k), alpha, a, Int64(lda), b, Int64(ldb),
                                             0, c, Int64(ldc)), "sgemm")
        case .reference:
            for i in 0..<m {
                for j in 0..<n {
                    var sum: Float = 0
                    for p in 0..<k { sum += a[i * lda + p] * (transB ? b[j * ldb + p] : b[p * ldb + j]) }
                    c[i * ldc + j] = alpha * sum
                }
            }
        }
    }
}
