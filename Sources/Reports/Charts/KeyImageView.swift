import Foundation

/// A key image on the page: grey levels in the display window, the lesion mask's outline along
/// pixel edges, a scale bar (10 or 20 mm) and the orientation letters at the edges.
struct KeyImageView {
    let image: KeyImage
    let lesion: RGBColor

    func draw(in cell: Rect, on c: PDFCanvas) {
        let k = image
        c.fitText(k.title, in: Rect(x: cell.x, y: cell.y, width: cell.width, height: 12), TextStyle(size: 8.5, bold: true), minimumSize: 6)
        let area = Rect(x: cell.x, y: cell.y + 14, width: cell.width, height: cell.height - 14)
        c.rectangle(area, fill: .black)
        let (lo, hi) = k.effectiveWindow()
        let scaled = k.pixels.map { ($0 - lo) / (hi - lo) }
        guard let placed = try? c.greyImage(scaled, width: k.width, height: k.height, in: area.inset(12),
                                            pixelAspect: k.rowSpacingMm / k.columnSpacingMm) else { return }
        let sx = placed.width / Double(k.width), sy = placed.height / Double(k.height)
        // Lesion outline: every edge between a lesion pixel and a non-lesion one.
        if let mask = k.mask {
            let style = StrokeStyle(color: lesion, width: 1.1)
            func inside(_ r: Int, _ col: Int) -> Bool { r >= 0 && r < k.height && col >= 0 && col < k.width && mask[r * k.width + col] != 0 }
            c.clipped(to: placed) {
                for r in 0..<k.height {
                    for col in 0..<k.width where inside(r, col) {
                        let x0 = placed.x + Double(col) * sx, y0 = placed.y + Double(r) * sy
                        if !inside(r - 1, col) { c.line(from: Point(x0, y0), to: Point(x0 + sx, y0), style: style) }
                        if !inside(r + 1, col) { c.line(from: Point(x0, y0 + sy), to: Point(x0 + sx, y0 + sy), style: style) }
                        if !inside(r, col - 1) { c.line(from: Point(x0, y0), to: Point(x0, y0 + sy), style: style) }
                        if !inside(r, col + 1) { c.line(from: Point(x0 + sx, y0), to: Point(x0 + sx, y0 + sy), style: style) }
                    }
                }
            }
        }
        // Scale bar: 20 mm when the field is wider than 80 mm, else 10 mm.
        let fieldMm = Double(k.width) * k.columnSpacingMm
        let barMm = fieldMm > 80 ? 20.0 : 10.0
        let barPt = barMm / k.columnSpacingMm * sx
        if barPt < placed.width * 0.8 {
            let bx = placed.x + 6, by = placed.maxY - 8
            c.rectangle(Rect(x: bx, y: by - 2, width: barPt, height: 3), fill: .white, stroke: StrokeStyle(color: .black, width: 0.4))
            c.fitText("\(Int(barMm)) mm", in: Rect(x: bx, y: by - 14, width: max(barPt, 30), height: 10), TextStyle(size: 7, bold: true, color: .white))
        }
        // Orientation letters in the margin around the image.
        let letter = TextStyle(size: 8, bold: true, color: .white)
        c.fitText(k.left, in: Rect(x: area.x, y: placed.y + placed.height / 2 - 5, width: max(10, placed.x - area.x), height: 10), letter, align: .center)
        c.fitText(k.right, in: Rect(x: placed.maxX, y: placed.y + placed.height / 2 - 5, width: max(10, area.maxX - placed.maxX), height: 10), letter, align: .center)
        c.fitText(k.top, in: Rect(x: placed.x + placed.width / 2 - 10, y: area.y, width: 20, height: max(10, placed.y - area.y)), letter, align: .center)
        c.fitText(k.bottom, in: Rect(x: placed.x + placed.width / 2 - 10, y: placed.maxY, width: 20, height: max(10, area.maxY - placed.maxY)), letter, align: .center)
    }
}
