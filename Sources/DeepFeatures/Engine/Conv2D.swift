import Foundation

/// A 2-D convolution (square kernel, symmetric zero padding, groups) on NHWC tensors, with a
/// fused bias, optional residual accumulation and activation:
/// `y = act(conv(x, W) + b + residual)`, the order of oneDNN's post-ops (sum, then eltwise).
///
/// Batch norm is folded into `W` and `b` when the network loads (`foldingBatchNorm`), as
/// inference frameworks do: `W' = W·γ/√(σ²+ε)`, `b' = β + (b − μ)·γ/√(σ²+ε)` (Ioffe & Szegedy 2015).
public final class Conv2D {
    /// Output channels.
    public let outChannels: Int
    /// Input channels.
    public let inChannels: Int
    /// Kernel height = width.
    public let kernel: Int
    /// Stride in both directions.
    public let stride: Int
    /// Zero padding on each side.
    public let padding: Int
    /// Channel groups (inChannels for depthwise).
    public let groups: Int
    /// Function applied last.
    public let activation: Activation
    /// Weights in PyTorch's layout (out, in/groups, kh, kw).
    public let weights: [Float]
    /// One bias per output channel.
    public let bias: [Float]
    private var referenceWeights: [Float]?
    private var primitives: [String: DNNLConvolution] = [:]

    /// A convolution with the given weights (OIHW) and bias.
    public init(outChannels: Int, inChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
                groups: Int = 1, activation: Activation = .identity, weights: [Float], bias: [Float]?) {
        precondition(inChannels % groups == 0 && outChannels % groups == 0)
        precondition(weights.count == outChannels * (inChannels / groups) * kernel * kernel)
        self.outChannels = outChannels
        self.inChannels = inChannels
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.groups = groups
        self.activation = activation
        self.weights = weights
        self.bias = bias ?? [Float](repeating: 0, count: outChannels)
    }

    /// The convolution `prefix.weight` (and `prefix.bias` when `hasBias`) followed by the
    /// batch norm `bnPrefix` folded into it.
    public convenience init(weights source: WeightSource, prefix: String, bias hasBias: Bool = false,
                            batchNorm bnPrefix: String?, eps: Double = 1e-5,
                            outChannels: Int, inChannels: Int, kernel: Int, stride: Int = 1,
                            padding: Int = 0, groups: Int = 1, activation: Activation = .identity) throws {
        var w = try source.tensor("\(prefix).weight", shape: [outChannels, inChannels / groups, kernel, kernel])
        var b = hasBias ? try source.tensor("\(prefix).bias", shape: [outChannels]) : [Float](repeating: 0, count: outChannels)
        if let bn = bnPrefix {
            let gamma = try source.tensor("\(bn).weight", shape: [outChannels])
            let beta = try source.tensor("\(bn).bias", shape: [outChannels])
            let mean = try source.tensor("\(bn).running_mean", shape: [outChannels])
            let variance = try source.tensor("\(bn).running_var", shape: [outChannels])
            Conv2D.foldBatchNorm(weights: &w, bias: &b, gamma: gamma, beta: beta, mean: mean, variance: variance, eps: eps)
        }
        self.init(outChannels: outChannels, inChannels: inChannels, kernel: kernel, stride: stride,
                  padding: padding, groups: groups, activation: activation, weights: w, bias: b)
    }

    /// Folds an inference-mode batch norm into the preceding convolution's weights and bias.
    static func foldBatchNorm(weights: inout [Float], bias: inout [Float], gamma: [Float], beta: [Float],
                              mean: [Float], variance: [Float], eps: Double) {
        let out = gamma.count
        let per = weights.count / out
        for o in 0..<out {
            let scale = Double(gamma[o]) / (Double(variance[o]) + eps).squareRoot()
            for i in 0..<per { weights[o * per + i] = Float(Double(weights[o * per + i]) * scale) }
            bias[o] = Float(Double(beta[o]) + (Double(bias[o]) - Double(mean[o])) * scale)
        }
    }

    /// Output height and width for an input of `h` × `w` (PyTorch's floor rule).
    public func outputSize(_ h: Int, _ w: Int) -> (Int, Int) {
        ((h + 2 * padding - kernel) / stride + 1, (w + 2 * padding - kernel) / stride + 1)
    }

    /// Multiply-adds per image for an input of `h` × `w`.
    public func multiplyAdds(_ h: Int, _ w: Int) -> Int {
        let (oh, ow) = outputSize(h, w)
        return oh * ow * outChannels * (inChannels / groups) * kernel * kernel
    }

    /// Applies the convolution to an NHWC batch; `residual` (same shape as the output) is added
    /// before the activation.
    public func forward(_ x: Tensor, residual: Tensor? = nil, options: InferenceOptions) throws -> Tensor {
        if var out = residual {
            try forward(x, accumulatingInto: &out, options: options)
            return out
        }
        let (oh, ow) = outputSize(x.shape[1], x.shape[2])
        let shape = [x.shape[0], oh, ow, outChannels]
        var out = Tensor(shape: shape, storage: [Float](unsafeUninitializedCapacity: shape.reduce(1, *)) { _, n in n = shape.reduce(1, *) })
        try run(x, into: &out, accumulate: false, options: options)
        return out
    }

    /// `out = act(conv(x) + b + out)` in place: the residual's buffer becomes the output, so a
    /// uniquely held residual is never copied.
    public func forward(_ x: Tensor, accumulatingInto out: inout Tensor, options: InferenceOptions) throws {
        let (oh, ow) = outputSize(x.shape[1], x.shape[2])
        precondition(out.shape == [x.shape[0], oh, ow, outChannels], "Conv2D: residual \(out.shape)")
        try run(x, into: &out, accumulate: true, options: options)
    }

    private func run(_ x: Tensor, into out: inout Tensor, accumulate: Bool, options: InferenceOptions) throws {
        precondition(x.shape.count == 4 && x.shape[3] == inChannels, "Conv2D: input \(x.shape), want C=\(inChannels)")
        let (n, h, w) = (x.shape[0], x.shape[1], x.shape[2])
        switch options.backend {
        case .oneDNN:
            // oneDNN fixes a primitive's thread count when it is created: set it first, key by it.
            DNNLRuntime.setThreads(options.threads)
            let key = "\(n)x\(h)x\(w)x\(accumulate)t\(options.threads)"
            let primitive: DNNLConvolution
            if let cached = primitives[key] {
                primitive = cached
            } else {
                primitive = try DNNLConvolution(self, batch: n, inH: h, inW: w, accumulate: accumulate)
                primitives[key] = primitive
            }
            try x.storage.withUnsafeBufferPointer { src in
                try bias.withUnsafeBufferPointer { b in
                    try out.storage.withUnsafeMutableBufferPointer { dst in
                        try primitive.run(src: src.baseAddress!, dst: dst.baseAddress!, bias: b.baseAddress!)
                    }
                }
            }
        case .reference:
            forwardReference(x, into: &out, accumulate: accumulate, threads: options.threads)
        }
    }

    /// The oneDNN implementation chosen for the given input (for diagnostics and benchmarks).
    func implementation(batch: Int, h: Int, w: Int) throws -> String {
        try DNNLConvolution(self, batch: batch, inH: h, inW: w, accumulate: false).implementation
    }

    /// Direct convolution in plain loops: for each output pixel, accumulate over the kernel
    /// window and the group's input channels. Weights are rearranged once to (kh, kw, in/g, out)
    /// so the innermost loop runs over contiguous output channels.
    private func forwardReference(_ x: Tensor, into out: inout Tensor, accumulate: Bool, threads: Int) {
        let icg = inChannels / groups, ocg = outChannels / groups, k = kernel
        if referenceWeights == nil {
            var r = [Float](repeating: 0, count: weights.count)
            for o in 0..<outChannels {
                for i in 0..<icg {
                    for ky in 0..<k {
                        for kx in 0..<k {
                            r[((ky * k + kx) * icg + i) * outChannels + o] = weights[((o * icg + i) * k + ky) * k + kx]
                        }
                    }
                }
            }
            referenceWeights = r
        }
        let wr = referenceWeights!
        let (n, h, w) = (x.shape[0], x.shape[1], x.shape[2])
        let (oh, ow) = (out.shape[1], out.shape[2])
        let (inC, outC, s, p) = (inChannels, outChannels, stride, padding)
        let act = activation
        x.storage.withUnsafeBufferPointer { src in
            wr.withUnsafeBufferPointer { wt in
                bias.withUnsafeBufferPointer { b in
                    out.storage.withUnsafeMutableBufferPointer { dstBuffer in
                        let dst = UncheckedBox(dstBuffer.baseAddress!)
                        Parallel.forEachChunk(count: n * oh, threads: threads) { rows in
                            var acc = [Float](repeating: 0, count: outC)
                            for row in rows {
                                let bi = row / oh, y = row % oh
                                for xo in 0..<ow {
                                    for o in 0..<outC { acc[o] = b[o] }
                                    for ky in 0..<k {
                                        let iy = y * s - p + ky
                                        if iy < 0 || iy >= h { continue }
                                        for kx in 0..<k {
                                            let ix = xo * s - p + kx
                                            if ix < 0 || ix >= w { continue }
                                            let base = ((bi * h + iy) * w + ix) * inC
                                            for g in 0..<groups {
                                                for i in 0..<icg {
                                                    let v = src[base + g * icg + i]
                                                    let wrow = ((ky * k + kx) * icg + i) * outC + g * ocg
                                                    for o in 0..<ocg { acc[g * ocg + o] += v * wt[wrow + o] }
                                                }
                                            }
                                        }
                                    }
                                    let d = ((bi * oh + y) * ow + xo) * outC
                                    for o in 0..<outC {
                                        let r = accumulate ? dst.value[d + o] : 0
                                        dst.value[d + o] = act.apply(acc[o] + r)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
