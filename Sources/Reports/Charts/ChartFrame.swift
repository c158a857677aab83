import Foundation

/// A plotting area with two axes: maps data to page coordinates and draws the axes, light grid,
/// tick labels, titles, and data series (lines, step curves, shaded bands, markers) clipped to
/// the area. Margins for tick labels and titles are taken from the outer rectangle.
public struct ChartFrame {
    /// The outer rectangle given by the caller.
    public let outer: Rect
    /// The data area inside the margins.
    public let plot: Rect
    public let x: ChartAxis
    public let y: ChartAxis
    public let tickStyle: TextStyle
    public let titleStyle: TextStyle

    public init(outer: Rect, x: ChartAxis, y: ChartAxis, fontSize: Double = 9, square: Bool = false) {
        self.outer = outer
        self.x = x
        self.y = y
        tickStyle = TextStyle(size: fontSize)
        titleStyle = TextStyle(size: fontSize + 1, bold: true)
        let left = fontSize * 5.2, bottom = fontSize * 3.6, top = fontSize * 0.8, right = fontSize * 1.2
        var p = Rect(x: outer.x + left, y: outer.y + top, width: outer.width - left - right, height: outer.height - top - bottom)
        if square {
            let s = min(p.width, p.height)
            p = Rect(x: p.x + (p.width - s) / 2, y: p.y, width: s, height: s)
        }
        plot = p
    }

    /// Page x of a data x.
    public func px(_ v: Double) -> Double { plot.x + (v - x.lo) / (x.hi - x.lo) * plot.width }
    /// Page y of a data y (up is larger).
    public func py(_ v: Double) -> Double { plot.maxY - (v - y.lo) / (y.hi - y.lo) * plot.height }
    public func point(_ a: Double, _ b: Double) -> Point { Point(px(a), py(b)) }

    /// The frame, grid, ticks, tick labels and axis titles.
    public func drawAxes(on c: PDFCanvas, grid: Bool = true) {
        let gridStyle = StrokeStyle(color: RGBColor(grey: 0.88), width: 0.4)
        let axisStyle = StrokeStyle(color: .black, width: 0.8)
        let labelsX = x.labels(), labelsY = y.labels()
        let m = c.fontMetrics(tickStyle)
        let slotX = plot.width / Double(max(1, x.ticks.count))
        for (t, s) in zip(x.ticks, labelsX) where t >= x.lo && t <= x.hi {
            let X = px(t)
            if grid { c.line(from: Point(X, plot.y), to: Point(X, plot.maxY), style: gridStyle) }
            c.line(from: Point(X, plot.maxY), to: Point(X, plot.maxY + 3), style: axisStyle)
            c.fitText(s, in: Rect(x: X - slotX / 2, y: plot.maxY + 4, width: slotX, height: m.ascent + m.descent + 1),
                      tickStyle, align: .center)
        }
        let labelWidth = plot.x - outer.x - tickStyle.size * 2.0
        for (t, s) in zip(y.ticks, labelsY) where t >= y.lo && t <= y.hi {
            let Y = py(t)
            if grid { c.line(from: Point(plot.x, Y), to: Point(plot.maxX, Y), style: gridStyle) }
            c.line(from: Point(plot.x - 3, Y), to: Point(plot.x, Y), style: axisStyle)
            let h = m.ascent + m.descent + 1
            c.fitText(s, in: Rect(x: plot.x - 4 - labelWidth, y: Y - h / 2, width: labelWidth, height: h), tickStyle, align: .right)
        }
        c.rectangle(plot, stroke: axisStyle)
        let tm = c.fontMetrics(titleStyle)
        c.fitText(x.title, in: Rect(x: plot.x, y: plot.maxY + 4 + m.ascent + m.descent + 4, width: plot.width,
                                    height: tm.ascent + tm.descent + 1), titleStyle, align: .center)
        c.verticalText(y.title, center: Point(outer.x + tm.ascent, plot.y + plot.height / 2), length: plot.height, titleStyle)
    }

    /// A line through (xs, ys), clipped to the plot.
    public func line(_ xs: [Double], _ ys: [Double], on c: PDFCanvas, style: StrokeStyle) {
        precondition(xs.count == ys.count, "one y per x")
        c.clipped(to: plot) { c.polyline(zip(xs, ys).map { point($0, $1) }, style: style) }
    }

    /// A right-continuous step curve (horizontal, then vertical at each new x), clipped.
    public func step(_ xs: [Double], _ ys: [Double], on c: PDFCanvas, style: StrokeStyle) {
        precondition(xs.count == ys.count, "one y per x")
        var pts = [Point]()
        for i in xs.indices {
            if i > 0 { pts.append(point(xs[i], ys[i - 1])) }
            pts.append(point(xs[i], ys[i]))
        }
        c.clipped(to: plot) { c.polyline(pts, style: style) }
    }

    /// A shaded band between `lower` and `upper` over `xs` (non-finite points skipped), clipped.
    public func band(_ xs: [Double], lower: [Double], upper: [Double], on c: PDFCanvas, color: RGBColor, opacity: Double = 0.18) {
        let idx = xs.indices.filter { xs[$0].isFinite && lower[$0].isFinite && upper[$0].isFinite }
        guard idx.count > 1 else { return }
        let poly = idx.map { point(xs[$0], upper[$0]) } + idx.reversed().map { point(xs[$0], lower[$0]) }
        c.clipped(to: plot) { c.fillPolygon(poly, color: color, opacity: opacity) }
    }

    /// Markers at (xs, ys): open circles unless `filled`.
    public func markers(_ xs: [Double], _ ys: [Double], on c: PDFCanvas, color: RGBColor, radius: Double = 2.6, filled: Bool = false) {
        c.clipped(to: plot.inset(-radius - 1)) {
            for (a, b) in zip(xs, ys) where a.isFinite && b.isFinite && a >= x.lo && a <= x.hi && b >= y.lo && b <= y.hi {
                c.circle(center: point(a, b), radius: radius, fill: filled ? color : .white,
                         stroke: StrokeStyle(color: color, width: 0.9))
            }
        }
    }
}
