/// Table 1 as a PDF page: variable, HER2-positive, HER2-negative, p and test columns, rows
/// continuing on new pages when they do not fit.
struct Table1Document {
    let table: BaselineTable

    func draw(on c: PDFCanvas, templates t: ReportTemplates, footer: String) {
        let margin = 48.0
        let inner = Rect(x: margin, y: margin, width: c.width - 2 * margin, height: c.height - 2 * margin)
        let widths = [0.36, 0.2, 0.2, 0.12, 0.12].map { $0 * inner.width }
        let header = ["", "HER2-positive (n = \(table.positives))", "HER2-negative (n = \(table.negatives))", "p", "Test"]
        let rowH = 16.0
        var y = inner.y
        func startPage() {
            c.fitText(t.text("table1Title"), in: Rect(x: inner.x, y: inner.y, width: inner.width, height: 24), TextStyle(size: 15, bold: true))
            y = inner.y + 34
            row(header, bold: true)
            c.line(from: Point(inner.x, y), to: Point(inner.maxX, y), style: StrokeStyle(color: .black, width: 0.8))
            c.fitText(footer, in: Rect(x: inner.x, y: inner.maxY - 12, width: inner.width, height: 12), TextStyle(size: 7.5, color: RGBColor(grey: 0.3)), minimumSize: 5)
        }
        func row(_ cells: [String], bold: Bool = false) {
            var x = inner.x
            for (k, s) in cells.enumerated() {
                c.fitText(s, in: Rect(x: x + 2, y: y, width: widths[k] - 4, height: rowH), TextStyle(size: 8.5, bold: bold),
                          minimumSize: 6, align: k == 0 ? .left : .center)
                x += widths[k]
            }
            y += rowH
        }
        startPage()
        for r in table.rows {
            if y + rowH > inner.maxY - 20 { c.nextPage(); startPage() }
            let name = r.level.isEmpty ? r.variable : "    " + r.level
            row([name, r.positive, r.negative, r.p.map { Format.p($0).replacingOccurrences(of: "p = ", with: "") } ?? "", r.test])
        }
        c.line(from: Point(inner.x, y), to: Point(inner.maxX, y), style: StrokeStyle(color: .black, width: 0.8))
        c.textBox("Mean (SD), median [IQR] or n (%). Welch's t test, Mann–Whitney test (normal approximation), Pearson's χ² test, or Fisher's exact test when an expected count is below 5.",
                  in: Rect(x: inner.x, y: y + 6, width: inner.width, height: 40), TextStyle(size: 8))
    }
}
