@testable import DeepFeatures
import Foundation
import Support
import LinearAlgebra
import Testing

/// Every oneDNN fast path against its plain-Swift twin on small random shapes.
@Suite("Kernels: oneDNN against reference")
struct KernelTests {
    static let fast = InferenceOptions(backend: .oneDNN, threads: 2)
    static let slow = InferenceOptions(backend: .reference, threads: 2)

    static func random(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in Float(rng.uniform(-1, 1)) * scale }
    }

    static func maxDiff(_ a: Tensor, _ b: Tensor) -> Float {
        precondition(a.shape == b.shape)
        return zip(a.storage, b.storage).map { abs($0 - $1) }.max() ?? 0
    }

    // (in, out, kernel, stride, padding, groups, activation, residual, size)
    static let convCases: [(Int, Int, Int, Int, Int, Int, Activation, Bool, Int)] = [
        (3, 16, 7, 2, 3, 1, .relu, false, 23), (16, 32, 3, 1, 1, 1, .relu, true, 12), (32, 24, 1, 2, 0, 1, .identity, false, 9),
        (24, 24, 5, 2, 2, 24, .silu, false, 15), (24, 24, 3, 1, 1, 24, .silu, false, 8), (8, 12, 3, 1, 1, 4, .identity, true, 10),
        (3, 8, 16, 16, 0, 1, .identity, false, 32),
    ]

    @Test("convolution", arguments: 0..<7)
    func convolution(_ index: Int) throws {
        let (inC, outC, k, s, p, g, act, residual, size) = KernelTests.convCases[index]
        let conv = Conv2D(outChannels: outC, inChannels: inC, kernel: k, stride: s, padding: p, groups: g, activation: act,
                          weights: KernelTests.random(outC * inC / g * k * k, seed: 1, scale: 0.3),
                          bias: KernelTests.random(outC, seed: 2))
        let x = Tensor(shape: [2, size, size, inC], storage: KernelTests.random(2 * size * size * inC, seed: 3))
        let (oh, ow) = conv.outputSize(size, size)
        let r = residual ? Tensor(shape: [2, oh, ow, outC], storage: KernelTests.random(2 * oh * ow * outC, seed: 4)) : nil
        let a = try conv.forward(x, residual: r, options: KernelTests.fast)
        let b = try conv.forward(x, residual: r, options: KernelTests.slow)
        #expect(KernelTests.maxDiff(a, b) < 1e-4, "case \(index): \(KernelTests.maxDiff(a, b))")
        // A 1×1 convolution at a single pixel is a dot product: check the reference against it.
        if k == 1 && s == 1 && g == 1 && !residual {
            var want = conv.bias[0]
            for i in 0..<inC { want += conv.weights[i] * x.storage[i] }
            #expect(abs(act.apply(want) - b.storage[0]) < 1e-5)
        }
    }

    @Test("linear with each activation and with a residual", arguments: [Activation.identity, .relu, .silu, .sigmoid, .gelu])
    func linear(_ act: Activation) throws {
        let layer = Linear(inFeatures: 37, outFeatures: 29, activation: act,
                           weights: KernelTests.random(37 * 29, seed: 5, scale: 0.5), bias: KernelTests.random(29, seed: 6))
        let x = Tensor(shape: [3, 5, 37], storage: KernelTests.random(3 * 5 * 37, seed: 7, scale: 2))
        let r = Tensor(shape: [3, 5, 29], storage: KernelTests.random(3 * 5 * 29, seed: 8))
        #expect(KernelTests.maxDiff(try layer.forward(x, options: KernelTests.fast), try layer.forward(x, options: KernelTests.slow)) < 1e-5)
        #expect(KernelTests.maxDiff(try layer.forward(x, residual: r, options: KernelTests.fast),
                                    try layer.forward(x, residual: r, options: KernelTests.slow)) < 1e-5)
    }

    @Test("exact GELU, SiLU and sigmoid values")
    func activations() {
        // GELU(1) = Φ(1) = 0.8413447460685429; erf form, not the tanh approximation (0.8411919906082768).
        #expect(abs(Activation.gelu.apply(1) - 0.8413447) < 1e-7)
        #expect(abs(Activation.silu.apply(2) - Float(2 / (1 + exp(-2.0)))) < 1e-7)
        #expect(Activation.sigmoid.apply(0) == 0.5)
    }

    @Test("self-attention block")
    func attention() throws {
        let dim = 48, heads = 6, tokens = 11
        let w = LayeredWeights([KernelWeights()])
        let attn = try SelfAttention(weights: w, prefix: "a", dim: dim, heads: heads)
        let x = Tensor(shape: [2, tokens, dim], storage: KernelTests.random(2 * tokens * dim, seed: 9))
        let a = try attn.forward(x, residual: x, options: KernelTests.fast)
        let b = try attn.forward(x, residual: x, options: KernelTests.slow)
        #expect(KernelTests.maxDiff(a, b) < 1e-5)
        // Attention is permutation-equivariant over tokens: swapping two tokens swaps the outputs.
        var swapped = x
        for i in 0..<dim { swapped.storage.swapAt(i, 3 * dim + i) }
        let c = try attn.forward(swapped, residual: swapped, options: KernelTests.slow)
        for i in 0..<dim { #expect(abs(c.storage[i] - b.storage[3 * dim + i]) < 1e-5) }
    }

    @Test("pooling")
    func pooling() {
        let x = Tensor(shape: [1, 4, 4, 2], storage: (0..<32).map(Float.init))
        let m = Pooling.maxPool(x, kernel: 3, stride: 2, padding: 1, threads: 2)
        #expect(m.shape == [1, 2, 2, 2] && m.storage == [10, 11, 14, 15, 26, 27, 30, 31])
        #expect(Pooling.globalAverage(x).storage == [15, 16])
        let a = Pooling.adaptiveAveragePool(Tensor(shape: [1, 2, 2, 1], storage: [1, 2, 3, 4]), outH: 1, outW: 1)
        #expect(a.storage == [2.5])
    }
}

/// Random weights by name for the small attention test.
final class KernelWeights: WeightSource {
    var identity: String { "kernel-test" }
    func contains(_ name: String) -> Bool { true }
    func tensor(_ name: String, shape: [Int]) throws -> [Float] {
        KernelTests.random(shape.reduce(1, *), seed: UInt64(SeededWeights.fnv1a(name)), scale: 0.3)
    }
}
