/// Otsu's threshold: the cut of a grey-level histogram that maximises the between-class
/// variance σ_B²(k) = [μ_T ω(k) − μ(k)]² / (ω(k) [1 − ω(k)]) (Otsu, IEEE Trans. SMC 9, 1979).
public enum OtsuThreshold {
    /// The threshold of `values` (NaN ignored) over a `bins`-bin histogram spanning their range:
    /// values > threshold form the upper class. Returns the minimum when all values are equal.
    public static func threshold<C: Collection>(_ values: C, bins: Int = 256) -> Float where C.Element == Float {
        precondition(bins >= 2, "Otsu needs at least 2 bins")
        var lo = Float.infinity, hi = -Float.infinity
        for v in values where !v.isNaN { lo = min(lo, v); hi = max(hi, v) }
        guard lo < hi else { return lo.isFinite ? lo : 0 }
        var histogram = [Double](repeating: 0, count: bins)
        let scale = Double(bins) / Double(hi - lo)
        for v in values where !v.isNaN {
            histogram[min(bins - 1, Int(Double(v - lo) * scale))] += 1
        }
        let total = histogram.reduce(0, +)
        var muT = 0.0
        for (b, h) in histogram.enumerated() { muT += Double(b) * h }
        muT /= total
        var omega = 0.0, mu = 0.0, best = -1.0, bestBin = 0
        for b in 0..<(bins - 1) {
            omega += histogram[b] / total
            mu += Double(b) * histogram[b] / total
            guard omega > 0, omega < 1 else { continue }
            let between = (muT * omega - mu) * (muT * omega - mu) / (omega * (1 - omega))
            if between > best { best = between; bestBin = b }
        }
        // The upper edge of the last bin of the lower class.
        return lo + Float(Double(bestBin + 1) / scale)
    }
}

extension OtsuThreshold {
    /// The two thresholds t₁ < t₂ that split `values` into three classes with the largest
    /// between-class variance Σₖ ωₖ μₖ² − μ_T² (multi-level Otsu; Liao, Chen & Chung, J. Inf.
    /// Sci. Eng. 17, 2001), by exhaustive search over bin pairs. Values > t₁ are above the lowest
    /// class, values > t₂ in the highest. Returns (min, min) when all values are equal.
    public static func thresholds3<C: Collection>(_ values: C, bins: Int = 128) -> (low: Float, high: Float) where C.Element == Float {
        precondition(bins >= 3, "three classes need at least 3 bins")
        var lo = Float.infinity, hi = -Float.infinity
        for v in values where !v.isNaN { lo = min(lo, v); hi = max(hi, v) }
        guard lo < hi else { return (lo.isFinite ? lo : 0, lo.isFinite ? lo : 0) }
        var histogram = [Double](repeating: 0, count: bins)
        let scale = Double(bins) / Double(hi - lo)
        for v in values where !v.isNaN { histogram[min(bins - 1, Int(Double(v - lo) * scale))] += 1 }
        // Prefix sums of counts and of bin · count.
        var w = [Double](repeating: 0, count: bins + 1), m = [Double](repeating: 0, count: bins + 1)
        for b in 0..<bins { w[b + 1] = w[b] + histogram[b]; m[b + 1] = m[b] + Double(b) * histogram[b] }
        func term(_ a: Int, _ b: Int) -> Double { // class of bins a..<b: ω μ² ∝ (Σ b·n)² / Σ n
            let n = w[b] - w[a]
            return n > 0 ? (m[b] - m[a]) * (m[b] - m[a]) / n : 0
        }
        var best = -1.0, cut = (1, 2)
        for c1 in 1..<(bins - 1) {
            for c2 in (c1 + 1)..<bins {
                let v = term(0, c1) + term(c1, c2) + term(c2, bins)
                if v > best { best = v; cut = (c1, c2) }
            }
        }
        return (lo + Float(Double(cut.0) / scale), lo + Float(Double(cut.1) / scale))
    }
}

extension Volume {
    /// Otsu's threshold of phase 0, over the voxels inside `mask` (all voxels when nil).
    public func otsuThreshold(mask: Volume? = nil, bins: Int = 256) -> Float {
        let n = voxelsPerPhase
        if let mask {
            precondition(mask.voxelsPerPhase == n, "mask grid differs from the image grid")
            return OtsuThreshold.threshold((0..<n).lazy.filter { mask.samples[$0] > 0.5 }.map { self.samples[$0] }, bins: bins)
        }
        return OtsuThreshold.threshold(samples[0..<n], bins: bins)
    }
}
