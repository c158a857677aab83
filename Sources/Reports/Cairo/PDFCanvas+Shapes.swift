internal import CCairo

/// Stroke styles (width in points, dash lengths in points; empty = solid).
public struct StrokeStyle: Sendable, Equatable {
    public var color: RGBColor
    public var width: Double
    public var dash: [Double]
    public init(color: RGBColor, width: Double = 1, dash: [Double] = []) {
        self.color = color; self.width = width; self.dash = dash
    }
}

extension PDFCanvas {
    func apply(_ s: StrokeStyle) {
        cairo_set_source_rgb(cr, s.color.red, s.color.green, s.color.blue)
        cairo_set_line_width(cr, s.width)
        s.dash.withUnsafeBufferPointer { cairo_set_dash(cr, $0.baseAddress, Int32($0.count), 0) }
    }

    /// Strokes a straight line.
    public func line(from a: Point, to b: Point, style: StrokeStyle) {
        polyline([a, b], style: style)
    }

    /// Strokes connected segments through `points` (non-finite points break the line).
    public func polyline(_ points: [Point], style: StrokeStyle) {
        apply(style)
        var open = false
        for p in points {
            guard p.x.isFinite && p.y.isFinite else { open = false; continue }
            if open { cairo_line_to(cr, p.x, p.y) } else { cairo_move_to(cr, p.x, p.y); open = true }
        }
        cairo_stroke(cr)
    }

    /// Fills a closed polygon.
    public func fillPolygon(_ points: [Point], color: RGBColor, opacity: Double = 1) {
        guard let first = points.first else { return }
        cairo_set_source_rgba(cr, color.red, color.green, color.blue, opacity)
        cairo_move_to(cr, first.x, first.y)
        for p in points.dropFirst() { cairo_line_to(cr, p.x, p.y) }
        cairo_close_path(cr)
        cairo_fill(cr)
    }

    /// Fills and/or strokes a rectangle.
    public func rectangle(_ r: Rect, fill: RGBColor? = nil, stroke: StrokeStyle? = nil) {
        if let fill {
            cairo_set_source_rgb(cr, fill.red, fill.green, fill.blue)
            cairo_rectangle(cr, r.x, r.y, r.width, r.height)
            cairo_fill(cr)
        }
        if let stroke {
            apply(stroke)
            cairo_rectangle(cr, r.x, r.y, r.width, r.height)
            cairo_stroke(cr)
        }
    }

    /// Fills and/or strokes a circle.
    public func circle(center c: Point, radius: Double, fill: RGBColor? = nil, stroke: StrokeStyle? = nil) {
        if let fill {
            cairo_set_source_rgb(cr, fill.red, fill.green, fill.blue)
            cairo_new_sub_path(cr)
            cairo_arc(cr, c.x, c.y, radius, 0, 2 * .pi)
            cairo_fill(cr)
        }
        if let stroke {
            apply(stroke)
            cairo_new_sub_path(cr)
            cairo_arc(cr, c.x, c.y, radius, 0, 2 * .pi)
            cairo_stroke(cr)
        }
    }

    /// Draws `body` clipped to `r`.
    public func clipped(to r: Rect, _ body: () throws -> Void) rethrows {
        cairo_save(cr)
        cairo_rectangle(cr, r.x, r.y, r.width, r.height)
        cairo_clip(cr)
        defer { cairo_restore(cr) }
        try body()
    }
}
