/// Table 1 as a PDF page: variable, HER2-positive, HER2-negative, p and test columns, rows
/// continuing on new pages when they do not fit.
struct Table1Document {
    let table: BaselineTable

    func draw(on c: PDFCanvas, templates t: ReportTemplates, footer: String) {
        let margin = 48.0
        let inner = Rect(x: margin, y: margin, width: c.width - 2 * margin, height: c.height - 2 * margin)
        let widths = [0.33, 0.2, 0.2, 0.1, 0.17].map { $0 * inner.width }
        let header = ["", t.text("table1Positive", ["n": String(table.positives)]), t.text("table1Negative", ["n": String(table.negatives)]),
                      "p", t.text("table1Test")]
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
            row([Table1Document.label(r, t), r.positive, r.negative, r.p.map { Format.p($0).replacingOccurrences(of: "p = ", with: "") } ?? "",
                 r.test.isEmpty ? "" : t.text("test.\(r.test)", or: r.test)])
        }
        c.line(from: Point(inner.x, y), to: Point(inner.maxX, y), style: StrokeStyle(color: .black, width: 0.8))
        c.textBox(t.text("table1Note"),
                  in: Rect(x: inner.x, y: y + 6, width: inner.width, height: 40), TextStyle(size: 8))
    }

    /// The first cell of a row in the templates' language: the variable ("clinical.<column>",
    /// with the missing count) or an indented level (kinetic types named as in the report).
    static func label(_ r: BaselineTable.Row, _ t: ReportTemplates) -> String {
        if r.level.isEmpty {
            guard !r.column.isEmpty else { return r.variable }
            let name = t.text("clinical.\(r.column)", or: BaselineTable.displayNames[r.column] ?? r.column)
            return name + (r.missing > 0 ? t.text("missingSuffix", ["n": String(r.missing)]) : "")
        }
        if r.column == "kineticType", r.level.hasPrefix("type ") {
            return "    " + t.text("kineticTypeN", ["type": String(r.level.dropFirst(5))])
        }
        return "    " + r.level
    }
}
