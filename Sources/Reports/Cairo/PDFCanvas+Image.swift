internal import CCairo

extension PDFCanvas {
    /// Draws a grey-level image (`values` row-major, first row at the top, 0 black … 1 white,
    /// clamped) scaled into `rect`, pixels kept sharp (nearest neighbour). `pixelAspect` is the
    /// row spacing over the column spacing; the image is letter-boxed inside `rect` to keep
    /// the physical aspect. Returns the rectangle the image occupies.
    @discardableResult
    public func greyImage(_ values: [Float], width w: Int, height h: Int, in rect: Rect, pixelAspect: Double = 1) throws -> Rect {
        precondition(values.count == w * h && w > 0 && h > 0, "image size must match its values")
        guard let img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(w), Int32(h)),
              cairo_surface_status(img) == CAIRO_STATUS_SUCCESS, let data = cairo_image_surface_get_data(img) else {
            throw ReportsError.drawing("Cairo could not allocate a \(w)×\(h) image")
        }
        defer { cairo_surface_destroy(img) }
        cairo_surface_flush(img)
        let stride = Int(cairo_image_surface_get_stride(img))
        for r in 0..<h {
            let row = (data + r * stride).withMemoryRebound(to: UInt32.self, capacity: w) { $0 }
            for c in 0..<w {
                let v = values[r * w + c]
                let g = UInt32((v.isFinite ? min(max(v, 0), 1) : 0) * 255 + 0.5)
                row[c] = (g << 16) | (g << 8) | g
            }
        }
        cairo_surface_mark_dirty(img)
        let physicalW = Double(w), physicalH = Double(h) * pixelAspect
        let s = min(rect.width / physicalW, rect.height / physicalH)
        let placed = Rect(x: rect.x + (rect.width - physicalW * s) / 2, y: rect.y + (rect.height - physicalH * s) / 2,
                          width: physicalW * s, height: physicalH * s)
        cairo_save(cr)
        cairo_translate(cr, placed.x, placed.y)
        cairo_scale(cr, s, s * pixelAspect)
        cairo_set_source_surface(cr, img, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST)
        cairo_rectangle(cr, 0, 0, physicalW, Double(h))
        cairo_fill(cr)
        cairo_restore(cr)
        return placed
    }
}
