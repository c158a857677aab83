import Foundation
import Biostatistics

/// A calibration plot in rms's style: predicted against observed probability, the ideal
/// diagonal, the apparent and bootstrap bias-corrected smooth curves (rms::calibrate) and the
/// Hosmer–Lemeshow risk groups as open circles.
///
/// The curves come from rms::calibrate on the logistic recalibration q = expit(a + b·logit p)
/// (the only model that can be refitted when only predictions are given); their grid of q is
/// mapped back to the predicted probability p = expit((logit q − a)/b) so that the curves, the
/// risk groups and the diagonal all refer to the model's own predictions.
public struct CalibrationChart {
    public let calibration: CalibrationAnalysis
    public let corrected: OptimismCorrectedCalibration
    public let colourIndex: Int
    public init(calibration: CalibrationAnalysis, corrected: OptimismCorrectedCalibration, colourIndex: Int = 0) {
        self.calibration = calibration; self.corrected = corrected; self.colourIndex = colourIndex
    }

    @discardableResult
    public func draw(in rect: Rect, on c: PDFCanvas, templates t: ReportTemplates) -> ChartFrame {
        let frame = ChartFrame(outer: rect, x: .fixed(0, 1, title: t.text("predicted")), y: .fixed(0, 1, title: t.text("observed")), square: true)
        frame.drawAxes(on: c)
        let refColour = t.site.colour(t.site.colours.reference)
        let ideal = StrokeStyle(color: refColour, width: 0.8, dash: [3, 3])
        frame.line([0, 1], [0, 1], on: c, style: ideal)
        let main = t.site.seriesStyle(colourIndex)
        let apparent = StrokeStyle(color: main.color, width: 1.0, dash: [5, 2.5])
        let biasCorrected = StrokeStyle(color: main.color, width: 1.8)
        let xs = CalibrationChart.originalScale(corrected.predicted, intercept: calibration.intercept, slope: calibration.slope)
        frame.line(xs, corrected.apparent, on: c, style: apparent)
        frame.line(xs, corrected.corrected, on: c, style: biasCorrected)
        frame.markers(calibration.binned.map { $0.predicted }, calibration.binned.map { $0.observed }, on: c, color: .black)
        ChartLegend([
            .init(label: t.text("ideal"), stroke: ideal),
            .init(label: t.text("apparent"), stroke: apparent),
            .init(label: t.text("biasCorrected", ["replicates": String(corrected.replicates)]), stroke: biasCorrected),
            .init(label: t.text("deciles"), marker: .black),
        ], corner: .bottomRight).draw(in: frame, on: c)
        return frame
    }

    /// Maps recalibrated probabilities q back to the original predictions:
    /// p = expit((logit q − a)/b). With an undefined fit (a or b NaN, b = 0) q is returned.
    public static func originalScale(_ q: [Double], intercept a: Double, slope b: Double) -> [Double] {
        guard a.isFinite && b.isFinite && b != 0 else { return q }
        return q.map { v in 1 / (1 + exp(-((log(v / (1 - v)) - a) / b))) }
    }
}
