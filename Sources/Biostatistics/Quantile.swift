import Foundation

/// Sample quantiles.
enum Quantile {
    /// Hyndman & Fan's type 7 (R's default): linear interpolation between order statistics.
    static func type7(_ values: [Double], _ p: Double, sorted: Bool = false) -> Double {
        let v = sorted ? values : values.sorted()
        let h = Double(v.count - 1) * p
        let lo = Int(h.rounded(.down))
        let hi = min(lo + 1, v.count - 1)
        return v[lo] + (h - Double(lo)) * (v[hi] - v[lo])
    }
}
