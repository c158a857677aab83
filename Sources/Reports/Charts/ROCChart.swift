import Foundation
import Biostatistics

/// ROC curves of several models on one chart: 1 − specificity against sensitivity, the chance
/// diagonal, each model's Youden point, and a legend with AUC and its DeLong 95 % CI.
public struct ROCChart {
    public struct Series {
        public let name: String
        public let roc: ROCAnalysis
        public init(name: String, roc: ROCAnalysis) { self.name = name; self.roc = roc }
    }
    public let series: [Series]
    public init(_ series: [Series]) { self.series = series }

    /// "0.912 (0.884–0.940)".
    public static func aucText(_ r: ROCAnalysis) -> String {
        String(format: "%.3f (%.3f–%.3f)", r.auc, r.ci.lower, r.ci.upper)
    }

    public func draw(in rect: Rect, on c: PDFCanvas, templates t: ReportTemplates) -> ChartFrame {
        let frame = ChartFrame(outer: rect, x: .fixed(0, 1, title: t.text("falsePositiveRate")),
                               y: .fixed(0, 1, title: t.text("sensitivity")), square: true)
        frame.drawAxes(on: c)
        let ref = StrokeStyle(color: t.site.colour(t.site.colours.reference), width: 0.7, dash: [3, 3])
        frame.line([0, 1], [0, 1], on: c, style: ref)
        var entries = [ChartLegend.Entry]()
        for (i, s) in series.enumerated() {
            let style = t.site.seriesStyle(i)
            let xs = s.roc.curve.map { 1 - $0.specificity }, ys = s.roc.curve.map { $0.sensitivity }
            frame.line(xs, ys, on: c, style: style)
            frame.markers([1 - s.roc.youden.specificity], [s.roc.youden.sensitivity], on: c, color: style.color, radius: 3.2, filled: true)
            entries.append(.init(label: t.text("rocLegend", ["model": s.name, "auc": ROCChart.aucText(s.roc)]), stroke: style))
        }
        entries.append(.init(label: t.text("youden"), marker: .black))
        ChartLegend(entries, corner: .bottomRight).draw(in: frame, on: c)
        return frame
    }
}
