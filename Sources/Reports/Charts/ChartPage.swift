/// The common layout of a one-chart page: a title line, a square chart, and a notes block
/// below it, inside A4 portrait margins; the demonstration banner when asked.
public struct ChartPage {
    public let title: Rect
    public let chart: Rect
    public let notes: Rect
    public let footer: Rect

    public init(canvas c: PDFCanvas, margin: Double = 48) {
        let inner = Rect(x: margin, y: margin, width: c.width - 2 * margin, height: c.height - 2 * margin)
        let (t, rest) = inner.splitTop(34)
        let (ch, rest2) = rest.splitTop(min(rest.width, rest.height * 0.72))
        let (n, f) = rest2.splitTop(rest2.height - 22)
        title = t; chart = ch; notes = n.inset(4); footer = f
    }

    /// Draws the title and the footer line (site and source file).
    public func decorate(_ c: PDFCanvas, title text: String, footer foot: String, templates: ReportTemplates) {
        c.fitText(text, in: title, TextStyle(size: 16, bold: true), minimumSize: 10)
        c.line(from: Point(footer.x, footer.y + 4), to: Point(footer.maxX, footer.y + 4), style: StrokeStyle(color: RGBColor(grey: 0.6), width: 0.5))
        c.fitText(foot, in: Rect(x: footer.x, y: footer.y + 6, width: footer.width, height: 14), TextStyle(size: 7.5, color: RGBColor(grey: 0.3)), minimumSize: 5)
    }
}
