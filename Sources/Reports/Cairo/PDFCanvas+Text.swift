import Foundation
internal import CCairo

/// Horizontal alignment of text in its box.
public enum TextAlignment: Sendable { case left, center, right }

/// Font settings for one run of text.
public struct TextStyle: Sendable, Equatable {
    public var size: Double
    public var bold: Bool
    public var italic: Bool
    public var color: RGBColor
    public init(size: Double, bold: Bool = false, italic: Bool = false, color: RGBColor = .black) {
        self.size = size; self.bold = bold; self.italic = italic; self.color = color
    }
    public func sized(_ s: Double) -> TextStyle { var t = self; t.size = s; return t }
}

/// Text with Cairo's toy API, which neither wraps nor shapes: lines are measured with
/// `cairo_text_extents` (advance widths) and broken or shrunk here so that text never runs out
/// of its box. Words break at spaces; CJK ideographs break anywhere; a word wider than the box
/// breaks between characters; what still does not fit at the smallest size ends in "…".
extension PDFCanvas {
    func select(_ style: TextStyle) {
        cairo_select_font_face(cr, fontFamily, style.italic ? CAIRO_FONT_SLANT_ITALIC : CAIRO_FONT_SLANT_NORMAL,
                               style.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cr, style.size)
    }

    /// The advance width of `text` in points.
    public func measure(_ text: String, _ style: TextStyle) -> Double {
        select(style)
        var e = cairo_text_extents_t()
        cairo_text_extents(cr, text, &e)
        return e.x_advance
    }

    /// Ascent, descent and the font's line height for `style`.
    public func fontMetrics(_ style: TextStyle) -> (ascent: Double, descent: Double, lineHeight: Double) {
        select(style)
        var f = cairo_font_extents_t()
        cairo_font_extents(cr, &f)
        return (f.ascent, f.descent, f.height)
    }

    /// Draws one line with its baseline at `y`; `x` is the left edge, centre or right edge
    /// according to `align`. Returns the drawn rectangle. No fitting: callers that have a box
    /// use `fitText` or `textBox`.
    @discardableResult
    public func text(_ s: String, x: Double, baseline y: Double, _ style: TextStyle, align: TextAlignment = .left, box: Rect? = nil) -> Rect {
        let w = measure(s, style)
        let m = fontMetrics(style)
        let left: Double = switch align { case .left: x; case .center: x - w / 2; case .right: x - w }
        cairo_set_source_rgb(cr, style.color.red, style.color.green, style.color.blue)
        cairo_move_to(cr, left, y)
        cairo_show_text(cr, s)
        let drawn = Rect(x: left, y: y - m.ascent, width: w, height: m.ascent + m.descent)
        log(s, drawn: drawn, box: box)
        return drawn
    }

    /// One line of text inside `box`, shrunk (down to `minimumSize`) until it fits the width
    /// and height, then cut with "…"; vertically centred. Returns the size used.
    @discardableResult
    public func fitText(_ s: String, in box: Rect, _ style: TextStyle, minimumSize: Double? = nil, align: TextAlignment = .left) -> Double {
        let minSize = min(minimumSize ?? style.size * 0.7, style.size)
        var st = style
        while st.size > minSize && (measure(s, st) > box.width || fontMetrics(st).ascent + fontMetrics(st).descent > box.height) {
            st.size = max(minSize, st.size - 0.25)
        }
        // Below the minimum only to fit a box too short for the font (never overrun it).
        while st.size > 1 && fontMetrics(st).ascent + fontMetrics(st).descent > box.height { st.size = max(1, st.size - 0.25) }
        guard fontMetrics(st).ascent + fontMetrics(st).descent <= box.height else { return 0 }
        let line = truncate(s, width: box.width, st)
        let m = fontMetrics(st)
        let baseline = box.y + (box.height - (m.ascent + m.descent)) / 2 + m.ascent
        let x: Double = switch align { case .left: box.x; case .center: box.x + box.width / 2; case .right: box.maxX }
        if !line.isEmpty { text(line, x: x, baseline: baseline, st, align: align, box: box) }
        return st.size
    }

    /// Wrapped text inside `box`, starting at its top: lines break to the width; if they do not
    /// fit the height the size shrinks (down to `minimumSize`); lines that still do not fit are
    /// dropped and the last kept one ends in "…". Returns the height used.
    @discardableResult
    public func textBox(_ s: String, in box: Rect, _ style: TextStyle, minimumSize: Double? = nil,
                        align: TextAlignment = .left, lineSpacing: Double = 1.15) -> Double {
        let minSize = min(minimumSize ?? style.size * 0.7, style.size)
        var st = style
        var lines = wrap(s, width: box.width, st)
        func height(_ n: Int, _ st: TextStyle) -> Double {
            let m = fontMetrics(st)
            return n == 0 ? 0 : Double(n - 1) * st.size * lineSpacing + m.ascent + m.descent
        }
        while st.size > minSize && height(lines.count, st) > box.height {
            st.size = max(minSize, st.size - 0.25)
            lines = wrap(s, width: box.width, st)
        }
        var kept = lines
        while !kept.isEmpty && height(kept.count, st) > box.height { kept.removeLast() }
        if kept.count < lines.count, let last = kept.popLast() {
            kept.append(truncate(last + "…", width: box.width, st, force: true))
        }
        let m = fontMetrics(st)
        let x: Double = switch align { case .left: box.x; case .center: box.x + box.width / 2; case .right: box.maxX }
        for (i, line) in kept.enumerated() {
            text(line, x: x, baseline: box.y + m.ascent + Double(i) * st.size * lineSpacing, st, align: align, box: box)
        }
        return height(kept.count, st)
    }

    /// Text rotated a quarter turn anticlockwise (reading upwards), centred on `center`, shrunk
    /// to fit `length` points (a y-axis title).
    public func verticalText(_ s: String, center: Point, length: Double, _ style: TextStyle) {
        var st = style
        while st.size > 5 && measure(s, st) > length { st.size -= 0.25 }
        let line = truncate(s, width: length, st)
        let w = measure(line, st)
        let m = fontMetrics(st)
        cairo_save(cr)
        cairo_translate(cr, center.x, center.y)
        cairo_rotate(cr, -.pi / 2)
        cairo_set_source_rgb(cr, st.color.red, st.color.green, st.color.blue)
        cairo_move_to(cr, -w / 2, (m.ascent - m.descent) / 2)
        cairo_show_text(cr, line)
        cairo_restore(cr)
        let h = m.ascent + m.descent
        log(line, drawn: Rect(x: center.x - h / 2, y: center.y - w / 2, width: h, height: w),
            box: Rect(x: center.x - h / 2, y: center.y - length / 2, width: h, height: length))
    }

    /// The lines `s` breaks into at `width` (paragraphs at "\n").
    public func wrap(_ s: String, width: Double, _ style: TextStyle) -> [String] {
        var lines = [String]()
        for paragraph in s.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for (unit, spaced) in PDFCanvas.breakUnits(String(paragraph)) {
                let candidate = line.isEmpty ? unit : line + (spaced ? " " : "") + unit
                if measure(candidate, style) <= width { line = candidate; continue }
                if !line.isEmpty { lines.append(line); line = "" }
                // The unit alone: break between characters when it is wider than the box.
                var piece = ""
                for ch in unit {
                    let next = piece + String(ch)
                    if measure(next, style) > width && !piece.isEmpty { lines.append(piece); piece = String(ch) } else { piece = next }
                }
                line = piece
            }
            lines.append(line)
        }
        return lines
    }

    /// `s` cut to `width` with a trailing "…" (unchanged when it fits, unless `force`).
    func truncate(_ s: String, width: Double, _ style: TextStyle, force: Bool = false) -> String {
        if !force && measure(s, style) <= width { return s }
        var chars = Array(s.hasSuffix("…") ? String(s.dropLast()) : s)
        while !chars.isEmpty && measure(String(chars) + "…", style) > width { chars.removeLast() }
        let out = String(chars) + "…"
        return measure(out, style) <= width ? out : ""
    }

    /// Breakable units of a paragraph: words (split at spaces) and single CJK characters, each
    /// with whether a space preceded it.
    static func breakUnits(_ s: String) -> [(String, Bool)] {
        var units = [(String, Bool)]()
        var word = "", spaced = false
        func flush() { if !word.isEmpty { units.append((word, spaced)); word = ""; spaced = false } }
        for ch in s {
            if ch == " " { flush(); spaced = true; continue }
            if let v = ch.unicodeScalars.first?.value, isCJK(v) {
                // Closing punctuation never starts a line (kinsoku): it stays with what precedes it.
                if PDFCanvas.noBreakBefore.contains(ch) && !spaced {
                    if !word.isEmpty { word.append(ch); flush(); continue }
                    if !units.isEmpty { units[units.count - 1].0.append(ch); continue }
                }
                flush(); units.append((String(ch), spaced)); spaced = false
            } else {
                if word.isEmpty && units.isEmpty { spaced = false }
                word.append(ch)
            }
        }
        flush()
        return units
    }

    /// CJK punctuation that must not begin a line (JIS X 4051's line-start prohibition, abridged).
    static let noBreakBefore: Set<Character> = ["。", "，", "、", "；", "：", "！", "？", "）", "」", "』", "】", "》", "〉", "％"]

    static func isCJK(_ v: UInt32) -> Bool {
        (0x2E80...0x9FFF).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFF00...0xFFEF).contains(v)
            || (0x3000...0x303F).contains(v) || (0x20000...0x2FA1F).contains(v)
    }
}
