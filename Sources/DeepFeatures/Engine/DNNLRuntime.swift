internal import CDNNL
import Foundation

/// The oneDNN CPU engine and stream this process uses, and its OpenMP thread count.
///
/// oneDNN generates code for the CPU it runs on (AVX-512 here, AVX2 or SSE4.1 elsewhere), so
/// the fast path works on any x86-64 machine; `ONEDNN_VERBOSE=1` shows which kernels it chose.
final class DNNLRuntime: @unchecked Sendable {
    /// The one engine and stream, created on first use.
    static let shared: DNNLRuntime = DNNLRuntime()

    let engine: dnnl_engine_t?
    let failure: String?
    /// oneDNN streams are not thread-safe: one per calling thread, created on first use.
    private var streams: [UInt: dnnl_stream_t] = [:]
    private let lock = NSLock()

    private init() {
        var engine: dnnl_engine_t?
        var failure: String?
        if dnnl_engine_create(&engine, dnnl_cpu, 0) != dnnl_success {
            failure = "cannot create the CPU engine"
        }
        self.engine = engine
        self.failure = failure
    }

    /// Sets the OpenMP team size for oneDNN primitives created and run from this thread. oneDNN
    /// sizes a primitive's work split when it is created, so callers set this first and cache
    /// primitives per thread count.
    static func setThreads(_ threads: Int) {
        omp_set_num_threads(Int32(max(1, threads)))
    }

    /// Throws `kernelFailure` unless `status` is success.
    static func check(_ status: dnnl_status_t, _ what: @autoclosure () -> String) throws {
        if status != dnnl_success {
            throw DeepFeaturesError.kernelFailure("\(what()) (status \(status.rawValue))")
        }
    }

    /// Engine and this thread's stream, or the reason they are unavailable.
    func handles() throws -> (dnnl_engine_t, dnnl_stream_t) {
        guard let engine else { throw DeepFeaturesError.kernelFailure(failure ?? "no engine") }
        let key = UInt(pthread_self())
        lock.lock()
        defer { lock.unlock() }
        if let stream = streams[key] { return (engine, stream) }
        var stream: dnnl_stream_t?
        guard dnnl_stream_create(&stream, engine, dnnl_stream_default_flags.rawValue) == dnnl_success, let stream else {
            throw DeepFeaturesError.kernelFailure("cannot create a stream")
        }
        streams[key] = stream
        return (engine, stream)
    }

    /// A plain memory descriptor with the given dims and layout tag.
    static func memoryDesc(_ dims: [Int], _ tag: dnnl_format_tag_t) throws -> dnnl_memory_desc_t {
        var md = dnnl_memory_desc_t()
        let d = dims.map { Int64($0) } + [Int64](repeating: 0, count: 12 - dims.count)
        try check(dnnl_memory_desc_init_by_tag(&md, Int32(dims.count), d, dnnl_f32, tag), "memory desc \(dims)")
        return md
    }

    /// Wraps a raw buffer as oneDNN memory of descriptor `md`.
    func memory(_ md: UnsafePointer<dnnl_memory_desc_t>, _ pointer: UnsafeMutableRawPointer?) throws -> dnnl_memory_t {
        let (engine, _) = try handles()
        var mem: dnnl_memory_t?
        try DNNLRuntime.check(dnnl_memory_create(&mem, md, engine, pointer), "memory create")
        guard let mem else { throw DeepFeaturesError.kernelFailure("memory create returned nil") }
        return mem
    }

    /// Runs a primitive with `(argument index, memory)` pairs and waits for it.
    func execute(_ primitive: dnnl_primitive_t, _ args: [(Int32, dnnl_memory_t)]) throws {
        let (_, stream) = try handles()
        let cargs = args.map { dnnl_exec_arg_t(arg: $0.0, memory: $0.1) }
        try DNNLRuntime.check(dnnl_primitive_execute(primitive, stream, Int32(cargs.count), cargs), "execute")
        try DNNLRuntime.check(dnnl_stream_wait(stream), "stream wait")
    }

    /// Creates a primitive descriptor and primitive from an op descriptor, with post-ops.
    func primitive(opDesc: UnsafeRawPointer, postOps: [PostOp]) throws -> (dnnl_primitive_desc_t, dnnl_primitive_t) {
        let (engine, _) = try handles()
        var attr: dnnl_primitive_attr_t?
        try DNNLRuntime.check(dnnl_primitive_attr_create(&attr), "attr create")
        defer { dnnl_primitive_attr_destroy(attr) }
        if !postOps.isEmpty {
            var ops: dnnl_post_ops_t?
            try DNNLRuntime.check(dnnl_post_ops_create(&ops), "post-ops create")
            defer { dnnl_post_ops_destroy(ops) }
            for op in postOps {
                switch op {
                case .sum:
                    try DNNLRuntime.check(dnnl_post_ops_append_sum(ops, 1), "append sum")
                case let .eltwise(alg, alpha):
                    try DNNLRuntime.check(dnnl_post_ops_append_eltwise(ops, 1, alg, alpha, 0), "append eltwise")
                }
            }
            try DNNLRuntime.check(dnnl_primitive_attr_set_post_ops(attr, ops), "set post-ops")
        }
        var pd: dnnl_primitive_desc_t?
        try DNNLRuntime.check(dnnl_primitive_desc_create(&pd, opDesc, attr, engine, nil), "primitive desc create")
        var prim: dnnl_primitive_t?
        try DNNLRuntime.check(dnnl_primitive_create(&prim, pd), "primitive create")
        guard let pd, let prim else { throw DeepFeaturesError.kernelFailure("primitive create returned nil") }
        return (pd, prim)
    }

    /// Name of the implementation oneDNN chose (e.g. `brgconv:avx512_core`).
    static func implementation(_ pd: dnnl_primitive_desc_t) -> String {
        var cstr: UnsafePointer<CChar>?
        _ = withUnsafeMutablePointer(to: &cstr) { p in
            dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, UnsafeMutableRawPointer(p))
        }
        return cstr.map { String(cString: $0) } ?? "?"
    }

    /// A post-operation fused into a primitive: accumulate into dst, or an elementwise function.
    enum PostOp {
        case sum
        case eltwise(dnnl_alg_kind_t, Float)
    }
}
