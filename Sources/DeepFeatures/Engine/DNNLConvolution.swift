internal import CDNNL
import Foundation

/// One oneDNN convolution primitive for one input shape, with its weights reordered once into
/// the blocked layout the generated kernel wants (activations stay NHWC).
final class DNNLConvolution {
    private let pd: dnnl_primitive_desc_t
    private let primitive: dnnl_primitive_t
    private var srcMD: dnnl_memory_desc_t
    private var dstMD: dnnl_memory_desc_t
    private var weightsMD: dnnl_memory_desc_t
    private var biasMD: dnnl_memory_desc_t
    private let weights: UnsafeMutableRawPointer
    /// The implementation oneDNN chose, e.g. `brgconv:avx512_core`.
    let implementation: String

    /// Builds the primitive for `conv` on a batch of `batch` × `inH` × `inW` images;
    /// `accumulate` adds a sum post-op (dst += conv) before the activation.
    init(_ conv: Conv2D, batch: Int, inH: Int, inW: Int, accumulate: Bool) throws {
        let rt = DNNLRuntime.shared
        let (engine, _) = try rt.handles()
        let (outH, outW) = conv.outputSize(inH, inW)
        srcMD = try DNNLRuntime.memoryDesc([batch, conv.inChannels, inH, inW], dnnl_nhwc)
        dstMD = try DNNLRuntime.memoryDesc([batch, conv.outChannels, outH, outW], dnnl_nhwc)
        let g = conv.groups
        let wdims = g == 1
            ? [conv.outChannels, conv.inChannels, conv.kernel, conv.kernel]
            : [g, conv.outChannels / g, conv.inChannels / g, conv.kernel, conv.kernel]
        var weightsAny = try DNNLRuntime.memoryDesc(wdims, dnnl_format_tag_any)
        var userWeightsMD = try DNNLRuntime.memoryDesc(wdims, g == 1 ? dnnl_oihw : dnnl_goihw)
        biasMD = try DNNLRuntime.memoryDesc([conv.outChannels], dnnl_a)
        let s = Int64(conv.stride), p = Int64(conv.padding)
        let padR = [Int64((outH - 1) * conv.stride + conv.kernel - inH - conv.padding),
                    Int64((outW - 1) * conv.stride + conv.kernel - inW - conv.padding)]
        var desc = dnnl_convolution_desc_t()
        try DNNLRuntime.check(dnnl_convolution_forward_desc_init(
            &desc, dnnl_forward_inference, dnnl_convolution_direct, &srcMD, &weightsAny, &biasMD, &dstMD,
            [s, s] + [Int64](repeating: 0, count: 10), [p, p] + [Int64](repeating: 0, count: 10),
            padR + [Int64](repeating: 0, count: 10)), "convolution desc")
        var postOps: [DNNLRuntime.PostOp] = accumulate ? [.sum] : []
        if let op = conv.activation.postOp { postOps.append(op) }
        (pd, primitive) = try withUnsafePointer(to: &desc) { try rt.primitive(opDesc: UnsafeRawPointer($0), postOps: postOps) }
        implementation = DNNLRuntime.implementation(pd)
        guard let chosen = dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0) else {
            throw DeepFeaturesError.kernelFailure("no weights layout")
        }
        weightsMD = chosen.pointee
        let size = dnnl_memory_desc_get_size(&weightsMD)
        weights = UnsafeMutableRawPointer.allocate(byteCount: max(size, 64), alignment: 64)
        // Reorder the PyTorch-layout weights into the chosen blocked layout, once.
        var rpd: dnnl_primitive_desc_t?
        try DNNLRuntime.check(dnnl_reorder_primitive_desc_create(&rpd, &userWeightsMD, engine, &weightsMD, engine, nil), "reorder desc")
        defer { dnnl_primitive_desc_destroy(rpd) }
        var reorder: dnnl_primitive_t?
        try DNNLRuntime.check(dnnl_primitive_create(&reorder, rpd), "reorder create")
        defer { dnnl_primitive_destroy(reorder) }
        try conv.weights.withUnsafeBufferPointer { w in
            let from = try rt.memory(&userWeightsMD, UnsafeMutableRawPointer(mutating: w.baseAddress))
            defer { dnnl_memory_destroy(from) }
            let to = try rt.memory(&weightsMD, weights)
            defer { dnnl_memory_destroy(to) }
            guard let reorder else { throw DeepFeaturesError.kernelFailure("reorder nil") }
            try rt.execute(reorder, [(CDNNL_ARG_FROM, from), (CDNNL_ARG_TO, to)])
        }
    }

    deinit {
        dnnl_primitive_destroy(primitive)
        dnnl_primitive_desc_destroy(pd)
        weights.deallocate()
    }

    /// Runs the convolution from `src` into `dst` (which holds the residual when accumulating).
    func run(src: UnsafePointer<Float>, dst: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>) throws {
        let rt = DNNLRuntime.shared
        let s = try rt.memory(&srcMD, UnsafeMutableRawPointer(mutating: src))
        defer { dnnl_memory_destroy(s) }
        let d = try rt.memory(&dstMD, UnsafeMutableRawPointer(dst))
        defer { dnnl_memory_destroy(d) }
        let w = try rt.memory(&weightsMD, weights)
        defer { dnnl_memory_destroy(w) }
        let b = try rt.memory(&biasMD, UnsafeMutableRawPointer(mutating: bias))
        defer { dnnl_memory_destroy(b) }
        try rt.execute(primitive, [(CDNNL_ARG_SRC, s), (CDNNL_ARG_WEIGHTS, w), (CDNNL_ARG_BIAS, b), (CDNNL_ARG_DST, d)])
    }
}
