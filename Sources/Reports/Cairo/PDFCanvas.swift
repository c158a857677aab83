import Foundation
internal import CCairo

/// A vector PDF document drawn with Cairo: pages of a fixed size, embedded font subsets
/// (DejaVu through fontconfig by default), document metadata and a fixed creation date so
/// the same input gives the same bytes. Coordinates are points, origin top-left.
///
/// Not thread-safe: one canvas per document, drawn from one task.
public final class PDFCanvas {
    /// Page width and height in points.
    public let width: Double
    public let height: Double
    /// Font family for the toy text API ("DejaVu Sans"; a CJK family for Chinese).
    public let fontFamily: String
    /// Every text run drawn and the box it had to fit in (for tests of the no-overrun rule).
    public private(set) var textLog: [(text: String, drawn: Rect, box: Rect?)] = []
    /// Pages begun so far (the first page exists from the start).
    public private(set) var pageCount = 1

    let sink: ByteSink
    let surface: OpaquePointer
    let cr: OpaquePointer
    private var finished = false

    /// Collects the bytes Cairo writes.
    final class ByteSink { var data = Data() }

    /// Starts a document with its first page.
    public init(width: Double, height: Double, metadata: PDFMetadata, fontFamily: String = "DejaVu Sans") throws {
        self.width = width
        self.height = height
        self.fontFamily = fontFamily
        sink = ByteSink()
        let closure = Unmanaged.passUnretained(sink).toOpaque()
        let write: cairo_write_func_t = { closure, data, length in
            guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
            let sink = Unmanaged<PDFCanvas.ByteSink>.fromOpaque(closure).takeUnretainedValue()
            sink.data.append(data, count: Int(length))
            return CAIRO_STATUS_SUCCESS
        }
        guard let s = cairo_pdf_surface_create_for_stream(write, closure, width, height) else {
            throw ReportsError.drawing("Cairo could not create a PDF surface")
        }
        surface = s
        if cairo_surface_status(s) != CAIRO_STATUS_SUCCESS {
            let message = String(cString: cairo_status_to_string(cairo_surface_status(s)))
            cairo_surface_destroy(s)
            throw ReportsError.drawing("Cairo PDF surface: \(message)")
        }
        let fields: [(cairo_pdf_metadata_t, String)] = [
            (CAIRO_PDF_METADATA_TITLE, metadata.title), (CAIRO_PDF_METADATA_AUTHOR, metadata.author),
            (CAIRO_PDF_METADATA_SUBJECT, metadata.subject), (CAIRO_PDF_METADATA_CREATOR, metadata.creator),
            (CAIRO_PDF_METADATA_KEYWORDS, metadata.keywords),
            (CAIRO_PDF_METADATA_CREATE_DATE, metadata.creationDate), (CAIRO_PDF_METADATA_MOD_DATE, metadata.creationDate),
        ]
        for (key, value) in fields where !value.isEmpty { cairo_pdf_surface_set_metadata(s, key, value) }
        cr = cairo_create(s)
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT)
    }

    deinit {
        cairo_destroy(cr)
        cairo_surface_destroy(surface)
    }

    /// Ends the current page and begins a new one.
    public func nextPage() {
        cairo_show_page(cr)
        pageCount += 1
    }

    /// Ends the last page and returns the PDF bytes; throws if Cairo reported an error while
    /// drawing (out of memory, a bad font, an invalid argument).
    public func finish() throws -> Data {
        precondition(!finished, "finish() called twice")
        finished = true
        try checkStatus()
        cairo_show_page(cr)
        cairo_surface_finish(surface)
        let st = cairo_surface_status(surface)
        guard st == CAIRO_STATUS_SUCCESS else {
            throw ReportsError.drawing("Cairo could not finish the PDF: \(String(cString: cairo_status_to_string(st)))")
        }
        return sink.data
    }

    func checkStatus() throws {
        let st = cairo_status(cr)
        guard st == CAIRO_STATUS_SUCCESS else {
            throw ReportsError.drawing("Cairo: \(String(cString: cairo_status_to_string(st)))")
        }
    }

    func log(_ text: String, drawn: Rect, box: Rect?) { textLog.append((text, drawn, box)) }
}
