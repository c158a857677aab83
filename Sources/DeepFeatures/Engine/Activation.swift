internal import CDNNL
import Foundation

/// The elementwise functions the four networks apply after a convolution or a linear layer.
public enum Activation: Sendable {
    case identity
    case relu
    /// SiLU / swish, x·σ(x) (EfficientNet).
    case silu
    /// Logistic sigmoid (squeeze-and-excitation gates).
    case sigmoid
    /// GELU in its exact form x·Φ(x) = x/2·(1 + erf(x/√2)), as timm's nn.GELU (Hendrycks & Gimpel 2016).
    case gelu
    /// GELU's tanh approximation x/2·(1 + tanh(√(2/π)·(x + 0.044715·x³))) (Hendrycks & Gimpel
    /// 2016, §2; PyTorch's `GELU(approximate="tanh")`). No backbone here uses it: the parity
    /// tests put it in ViT-S to show they tell it from the exact form.
    case geluTanh

    /// The reference value, computed in double precision.
    @inline(__always)
    func apply(_ x: Float) -> Float {
        switch self {
        case .identity: return x
        case .relu: return max(x, 0)
        case .silu: let d = Double(x); return Float(d / (1 + exp(-d)))
        case .sigmoid: return Float(1 / (1 + exp(-Double(x))))
        case .gelu: let d = Double(x); return Float(0.5 * d * (1 + erf(d / 2.0.squareRoot())))
        case .geluTanh: let d = Double(x); return Float(0.5 * d * (1 + tanh((2 / Double.pi).squareRoot() * (d + 0.044715 * d * d * d))))
        }
    }

    /// The same function as a oneDNN post-op (nil for identity).
    var postOp: DNNLRuntime.PostOp? {
        switch self {
        case .identity: return nil
        case .relu: return .eltwise(dnnl_eltwise_relu, 0)
        case .silu: return .eltwise(dnnl_eltwise_swish, 1)
        case .sigmoid: return .eltwise(dnnl_eltwise_logistic, 0)
        case .gelu: return .eltwise(dnnl_eltwise_gelu_erf, 0)
        case .geluTanh: return .eltwise(dnnl_eltwise_gelu_tanh, 0)
        }
    }
}

/// How a layer computes: with oneDNN's generated kernels, or with the plain Swift loops
/// that serve as the oracle in the tests.
public enum ComputeBackend: String, Sendable, CaseIterable {
    /// oneDNN (AVX-512 / AVX2 code generated at run time).
    case oneDNN
    /// Plain Swift loops: slow, obviously right.
    case reference
}

/// How to run a network: which kernels and how many threads.
public struct InferenceOptions: Sendable {
    /// Kernels to use.
    public var backend: ComputeBackend
    /// Threads for oneDNN (OpenMP) and for our own loops; they never run at the same time.
    public var threads: Int

    /// Defaults: oneDNN on every core.
    public init(backend: ComputeBackend = .oneDNN, threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.backend = backend
        self.threads = max(1, threads)
    }
}
