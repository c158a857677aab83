import Foundation
import Support
import LinearAlgebra

/// Deterministic weights for when no pretrained file is given, drawn as the original code
/// initialises each backbone (torchvision: Kaiming-normal fan-out convolutions, batch norm
/// γ = 1, β = 0, running mean 0 and variance 1; VGG linear N(0, 0.01); timm ViT:
/// truncated-normal(0.02) linear layers and position embedding, N(0, 1e-6) class token,
/// PyTorch's default U(±1/√fan_in) patch embedding).
///
/// Such a network is **not** an ImageNet model: its features carry no learned meaning, and its
/// identity `seeded:<seed>` says so everywhere downstream. Each tensor draws from its own
/// stream (seed and name hashed), so the values do not depend on the order of requests.
public final class SeededWeights: WeightSource {
    /// Which backbone's initialisation rules apply.
    public let backbone: Backbone
    /// The seed.
    public let seed: UInt64

    /// Seeded weights for `backbone`.
    public init(backbone: Backbone, seed: UInt64) {
        self.backbone = backbone
        self.seed = seed
    }

    public var identity: String { "seeded:\(seed)" }

    public func contains(_ name: String) -> Bool { true }

    public func tensor(_ name: String, shape: [Int]) throws -> [Float] {
        let count = shape.reduce(1, *)
        let rng = SplitMix64(seed: seed ^ UInt64(SeededWeights.fnv1a(name)) &* 0x9E37_79B9_7F4A_7C15)
        let leaf = name.split(separator: ".").last.map(String.init) ?? name
        switch (leaf, shape.count) {
        case ("running_var", _): return [Float](repeating: 1, count: count)
        case ("running_mean", _):
            return [Float](repeating: 0, count: count)
        case ("bias", _) where !(backbone == .vitSmall && name.hasPrefix("patch_embed")):
            return [Float](repeating: 0, count: count)
        case ("weight", 1): return [Float](repeating: 1, count: count)
        default: break
        }
        let fanIn = shape.dropFirst().reduce(1, *)
        let fanOut = shape.first.map { $0 * shape.dropFirst(2).reduce(1, *) } ?? 1
        // A normal value takes two draws (Box–Muller), a uniform one.
        switch backbone {
        case .vitSmall:
            if name == "cls_token" { return SeededWeights.drawn(count, rng, drawsPerValue: 2) { Float($0.normal() * 1e-6) } }
            if name.hasPrefix("patch_embed") {
                let bound = 1 / Double(3 * 16 * 16).squareRoot()
                return SeededWeights.drawn(count, rng, drawsPerValue: 1) { Float($0.uniform(-bound, bound)) }
            }
            // Never redrawn, so two draws a value: a Box–Muller value is below √(−2 ln 2⁻⁶⁰) = 9.12
            // in magnitude, and the bound is 100 standard deviations.
            return SeededWeights.drawn(count, rng, drawsPerValue: 2) { Float($0.truncatedNormal(std: 0.02, bound: 2)) }
        case .vgg16 where shape.count == 2:
            return SeededWeights.drawn(count, rng, drawsPerValue: 2) { Float($0.normal() * 0.01) }
        default:
            if shape.count == 2 { // the classifier heads, unused in feature mode
                let bound = 1 / Double(fanIn).squareRoot()
                return SeededWeights.drawn(count, rng, drawsPerValue: 1) { Float($0.uniform(-bound, bound)) }
            }
            let std = (2 / Double(fanOut)).squareRoot()
            return SeededWeights.drawn(count, rng, drawsPerValue: 2) { Float($0.normal() * std) }
        }
    }

    /// `count` values of one stream, value i from draws i·d ..< (i + 1)·d (d = `drawsPerValue`):
    /// contiguous ranges are drawn on all cores, each from the generator advanced to its first
    /// value (`SplitMix64.advanced`), so the result is the one drawn value after value. (VGG16's
    /// 138 M weights took 5 s on one core: the log and cos of Box–Muller.)
    static func drawn(_ count: Int, _ rng: SplitMix64, drawsPerValue: Int, _ value: (inout SplitMix64) -> Float) -> [Float] {
        let threads = count < 1 << 16 ? 1 : ProcessInfo.processInfo.activeProcessorCount
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            let out = UncheckedBox(buffer.baseAddress!)
            Parallel.forEachChunk(count: count, threads: threads) { range in
                var g = rng.advanced(by: range.lowerBound * drawsPerValue)
                for i in range { out.value[i] = value(&g) }
            }
            initialized = count
        }
    }

    /// 32-bit FNV-1a of a string's UTF-8 bytes.
    public static func fnv1a(_ s: String) -> UInt32 {
        var h: UInt32 = 0x811C_9DC5
        for b in s.utf8 { h = (h ^ UInt32(b)) &* 0x0100_0193 }
        return h
    }
}

extension SplitMix64 {
    /// timm's trunc_normal_(std, a = −bound, b = bound): redraw outside the bounds.
    mutating func truncatedNormal(std: Double, bound: Double) -> Double {
        while true {
            let v = normal() * std
            if abs(v) <= bound { return v }
        }
    }
}
