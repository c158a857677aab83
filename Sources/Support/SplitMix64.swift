import Foundation

/// SplitMix64 (Steele, Lea & Flood, "Fast splittable pseudorandom number generators", 2014):
/// the project's one seeded generator, so that synthetic cohorts, resampling, fold assignment
/// and seeded weights give the same numbers on every machine and Swift version (the standard
/// library's `random(in:using:)` makes no such promise).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// A generator for a sub-stream (a patient, a field), independent of draw order elsewhere.
    public init(seed: UInt64, stream: UInt64) {
        state = SplitMix64.mix(seed ^ SplitMix64.mix(stream &+ 0x632B_E59B_D9B4_E019))
    }

    /// This generator moved on by `draws` draws, in constant time (each draw adds the same
    /// increment to the state): a stream can be drawn in chunks, in parallel, with the values it
    /// gives drawn one after another.
    public func advanced(by draws: Int) -> SplitMix64 {
        var g = self
        g.state &+= UInt64(draws) &* 0x9E37_79B9_7F4A_7C15
        return g
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// The SplitMix64 finaliser: a bijective 64-bit mix (also a good integer hash).
    @inline(__always)
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in [lo, hi).
    public mutating func uniform(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * unit() }

    /// Uniform in 0..<n by multiply-shift (bias below 2⁻³² for n < 2³²).
    public mutating func nextIndex(_ n: Int) -> Int { Int(((next() >> 32) &* UInt64(n)) >> 32) }

    /// An integer uniform in `range` (by modulo; the bias is negligible for small ranges).
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    /// True with probability p.
    public mutating func bernoulli(_ p: Double) -> Bool { unit() < p }

    /// Standard normal by the Box–Muller transform (one of the pair is used).
    public mutating func normal() -> Double {
        let u1 = max(unit(), 0x1.0p-60), u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
