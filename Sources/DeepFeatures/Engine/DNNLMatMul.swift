internal import CDNNL
import Foundation

/// One oneDNN matmul primitive `dst(M×N) = src(M×K) · Wᵀ + bias` with post-ops, reading the
/// weights in PyTorch's (out, in) row-major layout directly (oneDNN's `ba` tag), so large
/// fully connected layers are never copied.
final class DNNLMatMul {
    private let pd: dnnl_primitive_desc_t
    private let primitive: dnnl_primitive_t
    private var srcMD: dnnl_memory_desc_t
    private var weightsMD: dnnl_memory_desc_t
    private var biasMD: dnnl_memory_desc_t
    private var dstMD: dnnl_memory_desc_t
    /// The implementation oneDNN chose.
    let implementation: String

    /// A primitive for `rows` input rows of `inFeatures` into `outFeatures`.
    init(rows: Int, inFeatures: Int, outFeatures: Int, postOps: [DNNLRuntime.PostOp]) throws {
        let rt = DNNLRuntime.shared
        srcMD = try DNNLRuntime.memoryDesc([rows, inFeatures], dnnl_ab)
        weightsMD = try DNNLRuntime.memoryDesc([inFeatures, outFeatures], dnnl_ba)
        biasMD = try DNNLRuntime.memoryDesc([1, outFeatures], dnnl_ab)
        dstMD = try DNNLRuntime.memoryDesc([rows, outFeatures], dnnl_ab)
        var desc = dnnl_matmul_desc_t()
        try DNNLRuntime.check(dnnl_matmul_desc_init(&desc, &srcMD, &weightsMD, &biasMD, &dstMD), "matmul desc")
        (pd, primitive) = try withUnsafePointer(to: &desc) { try rt.primitive(opDesc: UnsafeRawPointer($0), postOps: postOps) }
        implementation = DNNLRuntime.implementation(pd)
    }

    deinit {
        dnnl_primitive_destroy(primitive)
        dnnl_primitive_desc_destroy(pd)
    }

    /// Runs the product; `dst` holds the residual when the primitive accumulates.
    func run(src: UnsafePointer<Float>, weights: UnsafePointer<Float>, bias: UnsafePointer<Float>,
             dst: UnsafeMutablePointer<Float>) throws {
        let rt = DNNLRuntime.shared
        let s = try rt.memory(&srcMD, UnsafeMutableRawPointer(mutating: src))
        defer { dnnl_memory_destroy(s) }
        let w = try rt.memory(&weightsMD, UnsafeMutableRawPointer(mutating: weights))
        defer { dnnl_memory_destroy(w) }
        let b = try rt.memory(&biasMD, UnsafeMutableRawPointer(mutating: bias))
        defer { dnnl_memory_destroy(b) }
        let d = try rt.memory(&dstMD, UnsafeMutableRawPointer(dst))
        defer { dnnl_memory_destroy(d) }
        try rt.execute(primitive, [(CDNNL_ARG_SRC, s), (CDNNL_ARG_WEIGHTS, w), (CDNNL_ARG_BIAS, b), (CDNNL_ARG_DST, d)])
    }
}
