import Foundation
import Biostatistics

/// A nomogram drawn as rms's `plot(nomogram(fit))` draws it (Harrell, Regression Modeling
/// Strategies, 2nd ed., §10.10): a Points axis (0 … max points) on top, one axis per predictor
/// whose tick values sit at the points they score, a Total-points axis and the probability
/// axis read off the total. With a patient, each predictor's value is marked on its axis and
/// dropped to the Points scale, the total is marked, and the probability read below it.
public struct NomogramChart {
    public let nomogram: NomogramLayout
    /// Display names by predictor name.
    public let displayNames: [String: String]
    /// This patient's value per predictor (by name), if any.
    public let patient: [String: Double]
    public let wording: (yes: String, no: String)

    public init(nomogram: NomogramLayout, displayNames: [String: String] = [:], patient: [String: Double] = [:], wording: (yes: String, no: String) = ("yes", "no")) {
        self.nomogram = nomogram; self.displayNames = displayNames; self.patient = patient; self.wording = wording
    }

    /// Tick labels of a predictor axis: "no"/"yes" for 0/1, otherwise the numbers.
    func labels(_ a: NomogramLayout.Axis) -> [String] {
        if a.values == [0, 1] { return [wording.no, wording.yes] }
        if a.values.allSatisfy({ $0 == $0.rounded() }) { return a.values.map { String(Int($0)) } }
        return ChartAxis.format(a.values)
    }

    /// The patient's points on each axis and their total (from the nomogram's own scale).
    public func patientPoints() -> (perAxis: [Double?], total: Double?) {
        let per = nomogram.axes.indices.map { j in patient[nomogram.axes[j].name].map { nomogram.points(axis: j, value: $0) } }
        let known = per.compactMap { $0 }
        return (per, known.count == per.count && !per.isEmpty ? known.reduce(0, +) : nil)
    }

    /// Draws the nomogram in `rect`; returns the x positions of the patient's marks for tests.
    @discardableResult
    public func draw(in rect: Rect, on c: PDFCanvas, templates t: ReportTemplates, accent: RGBColor) -> [Double] {
        let nameW = min(140, rect.width * 0.26)
        let left = rect.x + nameW + 8, right = rect.maxX - 14
        let width = right - left
        let rows = nomogram.axes.count + 3
        let rowH = rect.height / Double(rows)
        let maxPoints = 100.0
        let totalMax = nomogram.totalPointsTicks.max() ?? 100
        func xPoints(_ p: Double) -> Double { left + p / maxPoints * width }
        func xTotal(_ p: Double) -> Double { left + p / totalMax * width }
        let label = TextStyle(size: 8.5, bold: true)
        let tick = TextStyle(size: 7.5)
        let axisStyle = StrokeStyle(color: .black, width: 0.7)
        let markStyle = StrokeStyle(color: accent, width: 0.9, dash: [2, 1.5])
        var marks = [Double]()

        func axis(row: Int, name: String, positions: [Double], labels: [String]) -> Double {
            let y = rect.y + (Double(row) + 0.55) * rowH
            c.fitText(name, in: Rect(x: rect.x, y: y - 6, width: nameW, height: 12), label, minimumSize: 6)
            guard let lo = positions.min(), let hi = positions.max() else { return y }
            c.line(from: Point(lo, y), to: Point(hi, y), style: axisStyle)
            // Labels above the line; a label that would come closer than one "m" to its left
            // neighbour (R's axis(), gap.axis = 1, which rms's axes use) goes below instead,
            // as rms staggers crowded axes; when it fits on neither side the tick stays unlabelled.
            let order = positions.indices.sorted { positions[$0] < positions[$1] }
            var lastAbove = -Double.infinity, lastBelow = -Double.infinity
            let m = c.fontMetrics(tick)
            let gap = c.measure("m", tick)
            for i in order {
                let x = positions[i]
                let w = c.measure(labels[i], tick) + 1
                c.line(from: Point(x, y - 3), to: Point(x, y), style: axisStyle)
                if x - w / 2 >= lastAbove + gap {
                    c.rectangle(Rect(x: x - w / 2, y: y - 4 - m.ascent - m.descent, width: w, height: m.ascent + m.descent), fill: .white)
                    c.fitText(labels[i], in: Rect(x: x - w / 2, y: y - 4 - m.ascent - m.descent, width: w, height: m.ascent + m.descent), tick, minimumSize: 5, align: .center)
                    lastAbove = x + w / 2
                } else if x - w / 2 >= lastBelow + gap {
                    c.line(from: Point(x, y), to: Point(x, y + 3), style: axisStyle)
                    c.rectangle(Rect(x: x - w / 2, y: y + 3, width: w, height: m.ascent + m.descent), fill: .white)
                    c.fitText(labels[i], in: Rect(x: x - w / 2, y: y + 3, width: w, height: m.ascent + m.descent), tick, minimumSize: 5, align: .center)
                    lastBelow = x + w / 2
                }
            }
            return y
        }

        // The patient's dropped lines first, so the axes' labels (on white) stay readable over them.
        func rowY(_ row: Int) -> Double { rect.y + (Double(row) + 0.55) * rowH }
        let (per, total) = patientPoints()
        let rTotal = nomogram.axes.count + 1
        for (j, p) in per.enumerated() {
            guard let p else { continue }
            c.line(from: Point(xPoints(p), rowY(j + 1)), to: Point(xPoints(p), rowY(0)), style: markStyle)
        }
        if let total { c.line(from: Point(xTotal(total), rowY(rTotal)), to: Point(xTotal(total), rowY(rTotal + 1)), style: markStyle) }

        let pointTicks = stride(from: 0.0, through: maxPoints, by: 10).map { $0 }
        let yPoints = axis(row: 0, name: t.text("points"), positions: pointTicks.map(xPoints), labels: pointTicks.map { String(Int($0)) })
        // Minor ticks every 2 points on the Points axis, as rms draws them.
        for p in stride(from: 0.0, through: maxPoints, by: 2) { c.line(from: Point(xPoints(p), yPoints - 1.5), to: Point(xPoints(p), yPoints), style: axisStyle) }
        for (j, a) in nomogram.axes.enumerated() {
            let y = axis(row: j + 1, name: displayNames[a.name] ?? a.name, positions: a.points.map(xPoints), labels: labels(a))
            if let p = per[j] {
                let x = xPoints(p)
                marks.append(x)
                c.circle(center: Point(x, y), radius: 3, fill: accent)
                c.circle(center: Point(x, yPoints), radius: 1.8, fill: accent)
            }
        }
        let yTotal = axis(row: rTotal, name: t.text("totalPoints"), positions: nomogram.totalPointsTicks.map(xTotal),
                          labels: nomogram.totalPointsTicks.map { String(Int($0.rounded())) })
        let probs = nomogram.probabilityTicks
        let yProb = axis(row: rTotal + 1, name: t.text("probabilityAxis"), positions: probs.map { xTotal($0.points) },
                         labels: probs.map { ChartAxis.format([$0.probability, $0.probability + 0.01])[0] })
        if let total {
            let x = xTotal(total)
            marks.append(x)
            c.circle(center: Point(x, yTotal), radius: 3, fill: accent)
            c.circle(center: Point(x, yProb), radius: 3, fill: accent)
            let p = nomogram.probability(totalPoints: total)
            let s = String(format: "%@ %.1f → %@ %.2f", t.text("totalPoints"), total, t.text("probability"), p)
            let style = TextStyle(size: 8, bold: true, color: accent)
            let w = min(c.measure(s, style) + 4, width)
            let bx = min(max(x - w / 2, left), right - w)
            c.fitText(s, in: Rect(x: bx, y: yProb + 16, width: w, height: 11), style, minimumSize: 6, align: .center)
        }
        return marks
    }
}
