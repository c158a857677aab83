internal import CDNNL
import Foundation

/// Row-wise softmax, exp(x_i − max)/Σ exp(x_j − max), in place over a (rows × cols) buffer.
final class Softmax {
    private var primitives: [String: (dnnl_primitive_desc_t, dnnl_primitive_t, dnnl_memory_desc_t)] = [:]

    deinit {
        for (pd, p, _) in primitives.values {
            dnnl_primitive_destroy(p)
            dnnl_primitive_desc_destroy(pd)
        }
    }

    /// Applies softmax to each of `rows` rows of length `cols` starting at `data`.
    func apply(_ data: UnsafeMutablePointer<Float>, rows: Int, cols: Int, options: InferenceOptions) throws {
        switch options.backend {
        case .oneDNN:
            DNNLRuntime.setThreads(options.threads)
            let key = "\(rows)x\(cols)t\(options.threads)"
            if primitives[key] == nil {
                var md = try DNNLRuntime.memoryDesc([rows, cols], dnnl_ab)
                var desc = dnnl_softmax_desc_t()
                try DNNLRuntime.check(dnnl_softmax_forward_desc_init(&desc, dnnl_forward_inference, &md, 1), "softmax desc")
                let (pd, p) = try withUnsafePointer(to: &desc) {
                    try DNNLRuntime.shared.primitive(opDesc: UnsafeRawPointer($0), postOps: [])
                }
                primitives[key] = (pd, p, md)
            }
            guard var entry = primitives[key] else { return }
            let mem = try DNNLRuntime.shared.memory(&entry.2, UnsafeMutableRawPointer(data))
            defer { dnnl_memory_destroy(mem) }
            try DNNLRuntime.shared.execute(entry.1, [(CDNNL_ARG_SRC, mem), (CDNNL_ARG_DST, mem)])
        case .reference:
            let box = UncheckedBox(data)
            Parallel.forEachChunk(count: rows, threads: options.threads) { range in
                for r in range {
                    let row = box.value + r * cols
                    var m = -Float.infinity
                    for i in 0..<cols { m = max(m, row[i]) }
                    var sum = 0.0
                    for i in 0..<cols { sum += exp(Double(row[i] - m)) }
                    for i in 0..<cols { row[i] = Float(exp(Double(row[i] - m)) / sum) }
                }
            }
        }
    }
}
