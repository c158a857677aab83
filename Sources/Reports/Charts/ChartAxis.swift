import Foundation
import Biostatistics

/// One axis of a chart: its data range, tick values and title. Ticks are R's `pretty()`
/// breaks (Biostatistics.PrettyTicks), so charts and R plots agree on round numbers.
public struct ChartAxis: Sendable {
    public var lo: Double
    public var hi: Double
    public var ticks: [Double]
    public var title: String

    public init(lo: Double, hi: Double, ticks: [Double], title: String) {
        precondition(hi > lo, "axis range must be increasing")
        self.lo = lo; self.hi = hi; self.ticks = ticks; self.title = title
    }

    /// An axis over exactly `lo…hi` with pretty ticks inside it.
    public static func fixed(_ lo: Double, _ hi: Double, title: String, n: Int = 5) -> ChartAxis {
        let t = PrettyTicks.pretty(lo, hi, n: n).filter { $0 >= lo - 1e-9 * (hi - lo) && $0 <= hi + 1e-9 * (hi - lo) }
        return ChartAxis(lo: lo, hi: hi, ticks: t, title: title)
    }

    /// An axis that covers `lo…hi` and extends to the enclosing pretty breaks.
    public static func nice(_ lo: Double, _ hi: Double, title: String, n: Int = 5) -> ChartAxis {
        var a = lo, b = hi
        if !(b > a) { a -= 0.5; b += 0.5 }
        let t = PrettyTicks.pretty(a, b, n: n)
        return ChartAxis(lo: min(t.first!, a), hi: max(t.last!, b), ticks: t, title: title)
    }

    /// Tick labels with as many decimals as the tick spacing needs (0.1 → 1 decimal).
    public func labels() -> [String] {
        ChartAxis.format(ticks)
    }

    /// Formats values with the decimals their spacing needs.
    public static func format(_ values: [Double]) -> [String] {
        guard values.count > 1 else { return values.map { String(format: "%g", $0) } }
        let step = zip(values.dropFirst(), values).map { abs($0 - $1) }.filter { $0 > 0 }.min() ?? 1
        let decimals = max(0, Int(-floor(log10(step) + 1e-9)))
        return values.map { v in
            let s = String(format: "%.\(decimals)f", v)
            return s.hasPrefix("-") && Double(s) == 0 ? String(s.dropFirst()) : s
        }
    }
}
