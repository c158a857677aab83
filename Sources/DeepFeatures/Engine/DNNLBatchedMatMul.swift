internal import CDNNL
import Foundation

/// One oneDNN matmul over batch dimensions with arbitrary strides, `dst[b] = src[b] · weights[b]`:
/// the attention products of all images and heads in one call, read straight out of the
/// interleaved qkv buffer (no copies, one parallel region instead of one per head).
final class DNNLBatchedMatMul {
    private let pd: dnnl_primitive_desc_t
    private let primitive: dnnl_primitive_t
    private var srcMD: dnnl_memory_desc_t
    private var weightsMD: dnnl_memory_desc_t
    private var dstMD: dnnl_memory_desc_t

    /// A (dims, strides) description of one operand, in elements, outermost first.
    struct Operand {
        let dims: [Int]
        let strides: [Int]
    }

    init(src: Operand, weights: Operand, dst: Operand) throws {
        srcMD = try DNNLBatchedMatMul.desc(src)
        weightsMD = try DNNLBatchedMatMul.desc(weights)
        dstMD = try DNNLBatchedMatMul.desc(dst)
        var desc = dnnl_matmul_desc_t()
        try DNNLRuntime.check(dnnl_matmul_desc_init(&desc, &srcMD, &weightsMD, nil, &dstMD), "batched matmul desc")
        (pd, primitive) = try withUnsafePointer(to: &desc) { try DNNLRuntime.shared.primitive(opDesc: UnsafeRawPointer($0), postOps: []) }
    }

    private static func desc(_ o: Operand) throws -> dnnl_memory_desc_t {
        var md = dnnl_memory_desc_t()
        let pad = [Int64](repeating: 0, count: 12 - o.dims.count)
        try DNNLRuntime.check(dnnl_memory_desc_init_by_strides(&md, Int32(o.dims.count), o.dims.map(Int64.init) + pad,
                                                                dnnl_f32, o.strides.map(Int64.init) + pad), "strided desc \(o.dims)")
        return md
    }

    deinit {
        dnnl_primitive_destroy(primitive)
        dnnl_primitive_desc_destroy(pd)
    }

    func run(src: UnsafePointer<Float>, weights: UnsafePointer<Float>, dst: UnsafeMutablePointer<Float>) throws {
        let rt = DNNLRuntime.shared
        let s = try rt.memory(&srcMD, UnsafeMutableRawPointer(mutating: src))
        defer { dnnl_memory_destroy(s) }
        let w = try rt.memory(&weightsMD, UnsafeMutableRawPointer(mutating: weights))
        defer { dnnl_memory_destroy(w) }
        let d = try rt.memory(&dstMD, UnsafeMutableRawPointer(dst))
        defer { dnnl_memory_destroy(d) }
        try rt.execute(primitive, [(CDNNL_ARG_SRC, s), (CDNNL_ARG_WEIGHTS, w), (CDNNL_ARG_DST, d)])
    }
}
