/// A legend box inside a chart's plot area: a swatch (line with its dash, a marker or a shaded
/// block) and a label per entry; labels shrink or are cut so the box never leaves the plot.
public struct ChartLegend {
    public struct Entry {
        public var label: String
        public var stroke: StrokeStyle?
        public var fill: RGBColor?
        public var marker: RGBColor?
        public init(label: String, stroke: StrokeStyle? = nil, fill: RGBColor? = nil, marker: RGBColor? = nil) {
            self.label = label; self.stroke = stroke; self.fill = fill; self.marker = marker
        }
    }
    public enum Corner { case topLeft, topRight, bottomLeft, bottomRight }

    public var entries: [Entry]
    public var corner: Corner
    public var fontSize: Double

    public init(_ entries: [Entry], corner: Corner = .bottomRight, fontSize: Double = 8.5) {
        self.entries = entries; self.corner = corner; self.fontSize = fontSize
    }

    /// Draws the legend in `frame`'s plot; returns its rectangle.
    @discardableResult
    public func draw(in frame: ChartFrame, on c: PDFCanvas) -> Rect {
        let style = TextStyle(size: fontSize)
        let swatch = 22.0, pad = 5.0, rowH = fontSize * 1.45
        let maxW = frame.plot.width - 2 * pad
        let labelW = min(entries.map { c.measure($0.label, style) }.max() ?? 0, maxW - swatch - 3 * pad)
        let w = min(maxW, swatch + labelW + 3 * pad)
        let h = min(frame.plot.height - 2 * pad, Double(entries.count) * rowH + 2 * pad - (rowH - fontSize * 1.2))
        let x: Double, y: Double
        switch corner {
        case .topLeft: (x, y) = (frame.plot.x + pad, frame.plot.y + pad)
        case .topRight: (x, y) = (frame.plot.maxX - pad - w, frame.plot.y + pad)
        case .bottomLeft: (x, y) = (frame.plot.x + pad, frame.plot.maxY - pad - h)
        case .bottomRight: (x, y) = (frame.plot.maxX - pad - w, frame.plot.maxY - pad - h)
        }
        let box = Rect(x: x, y: y, width: w, height: h)
        c.rectangle(box, fill: .white, stroke: StrokeStyle(color: RGBColor(grey: 0.6), width: 0.5))
        for (i, e) in entries.enumerated() {
            let rowTop = y + pad + Double(i) * rowH
            guard rowTop + fontSize * 1.2 <= box.maxY + 0.01 else { break }
            let mid = rowTop + fontSize * 0.6
            if let fill = e.fill {
                c.rectangle(Rect(x: x + pad, y: mid - 4, width: swatch, height: 8), fill: fill)
            }
            if let s = e.stroke { c.line(from: Point(x + pad, mid), to: Point(x + pad + swatch, mid), style: s) }
            if let m = e.marker {
                c.circle(center: Point(x + pad + swatch / 2, mid), radius: 2.6, fill: .white, stroke: StrokeStyle(color: m, width: 0.9))
            }
            c.fitText(e.label, in: Rect(x: x + 2 * pad + swatch, y: rowTop, width: w - swatch - 3 * pad, height: fontSize * 1.2),
                      style, minimumSize: fontSize * 0.75)
        }
        return box
    }
}
