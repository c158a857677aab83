import Foundation

/// "Pretty" axis breaks exactly as R's `pretty()` chooses them (R's C routine `R_pretty`,
/// defaults `min.n = n %/% 3`, `shrink.sml = 0.75`, `high.u.bias = 1.5`,
/// `u5.bias = 0.5 + 1.5·high.u.bias`): about n + 1 equally spaced round values (1, 2 or 5
/// times a power of ten apart) covering [lo, hi].
public enum PrettyTicks {
    /// The breaks covering `lo…hi`.
    public static func pretty(_ lo: Double, _ hi: Double, n ndivIn: Int = 5) -> [Double] {
        let h = 1.5, h5 = 0.5 + 1.5 * h
        let minN = ndivIn / 3
        let shrink = 0.75
        let roundingEps = 1e-10
        let dx = hi - lo
        var cell: Double
        var small: Bool
        if dx == 0 && hi == 0 {
            cell = 1; small = true
        } else {
            cell = max(abs(lo), abs(hi))
            var u = 1 + ((h5 >= 1.5 * h + 0.5) ? 1 / (1 + h) : 1.5 / (1 + h5))
            u *= Double(max(1, ndivIn)) * Double.ulpOfOne
            small = dx < cell * u * 3
        }
        if small {
            if cell > 10 { cell = 9 + cell / 10 }
            cell *= shrink
            if minN > 1 { cell /= Double(minN) }
        } else {
            cell = dx
            if ndivIn > 1 { cell /= Double(ndivIn) }
        }
        if cell < 20 * Double.leastNormalMagnitude { cell = 20 * Double.leastNormalMagnitude }
        let base = pow(10.0, floor(log10(cell)))
        var unit = base
        if 2 * base - cell < h * (cell - unit) {
            unit = 2 * base
            if 5 * base - cell < h5 * (cell - unit) {
                unit = 5 * base
                if 10 * base - cell < h * (cell - unit) { unit = 10 * base }
            }
        }
        var ns = floor(lo / unit + roundingEps), nu = ceil(hi / unit - roundingEps)
        while ns * unit > lo + roundingEps * unit { ns -= 1 }
        while nu * unit < hi - roundingEps * unit { nu += 1 }
        var k = Int(0.5 + nu - ns)
        if k < minN {
            k = minN - k
            if ns >= 0 { nu += Double(k / 2); ns -= Double(k / 2 + k % 2) } else { ns -= Double(k / 2); nu += Double(k / 2 + k % 2) }
            k = minN
        }
        let l = ns * unit, u = nu * unit
        if k == 0 { return [l] }
        let by = (u - l) / Double(k)
        var s = (0...k).map { l + Double($0) * by }
        s[k] = u
        let delta = (u - l) / Double(k)
        for i in s.indices where abs(s[i]) < 1e-14 * delta { s[i] = 0 }
        return s
    }
}
