import Foundation
import Biostatistics

/// Decision curves (Vickers & Elkin 2006): net benefit against threshold probability for each
/// model, treat-all and treat-none. The y range runs from a little below zero to a little above
/// the prevalence (the most any strategy can gain), so treat-all's steep fall is clipped rather
/// than squashing the models' curves.
public struct DecisionCurveChart {
    public struct Series {
        public let name: String
        public let curve: DecisionCurve
        public init(name: String, curve: DecisionCurve) { self.name = name; self.curve = curve }
    }
    public let series: [Series]
    public let prevalence: Double
    public init(_ series: [Series], prevalence: Double) { self.series = series; self.prevalence = prevalence }

    /// The y range: [−0.05·top, top] rounded out to pretty breaks, with top = prevalence + 10 %
    /// (at least 0.05).
    public static func yRange(prevalence: Double) -> (lo: Double, hi: Double) {
        let top = max(0.05, prevalence * 1.1)
        let ticks = PrettyTicks.pretty(0, top, n: 5)
        let hi = ticks.last!
        let step = ticks.count > 1 ? ticks[1] - ticks[0] : hi
        return (-step / 2, hi)
    }

    @discardableResult
    public func draw(in rect: Rect, on c: PDFCanvas, templates t: ReportTemplates) -> ChartFrame {
        let r = DecisionCurveChart.yRange(prevalence: prevalence)
        let thresholds = series.first?.curve.thresholds ?? [0, 1]
        let xhi = min(1, (thresholds.last ?? 1) + 0.01)
        let frame = ChartFrame(outer: rect, x: .fixed(0, xhi, title: t.text("threshold")),
                               y: ChartAxis.fixed(r.lo, r.hi, title: t.text("netBenefit")), square: true)
        frame.drawAxes(on: c)
        let none = StrokeStyle(color: .black, width: 0.9)
        let all = StrokeStyle(color: RGBColor(grey: 0.55), width: 2.2)
        if let first = series.first?.curve {
            frame.line(first.thresholds, first.all, on: c, style: all)
            frame.line(first.thresholds, first.none, on: c, style: none)
        }
        var entries = [ChartLegend.Entry]()
        for (i, s) in series.enumerated() {
            let style = t.site.seriesStyle(i)
            frame.line(s.curve.thresholds, s.curve.model, on: c, style: style)
            entries.append(.init(label: s.name, stroke: style))
        }
        entries.append(.init(label: t.text("treatAll"), stroke: all))
        entries.append(.init(label: t.text("treatNone"), stroke: none))
        ChartLegend(entries, corner: .topRight).draw(in: frame, on: c)
        return frame
    }
}
