/// One key image for the patient report: a 2-D slice as plain floats (row-major, first row at
/// the top of the page), its pixel spacing, an optional lesion mask of the same size (non-zero
/// = lesion) drawn as a contour, the patient-orientation letters at its four edges and the
/// display window. Reports knows nothing of volumes: the caller cuts the slice.
public struct KeyImage: Sendable {
    public var title: String
    public var pixels: [Float]
    public var width: Int
    public var height: Int
    /// Millimetres between columns (x) and between rows (y).
    public var columnSpacingMm: Double
    public var rowSpacingMm: Double
    public var mask: [UInt8]?
    /// Orientation letters at the left, right, top and bottom edges (radiological: "R", "L", "A", "P").
    public var left: String, right: String, top: String, bottom: String
    /// Grey window (values at black and white); nil = the 1st and 99th percentiles.
    public var window: (low: Float, high: Float)?

    public init(title: String, pixels: [Float], width: Int, height: Int, columnSpacingMm: Double, rowSpacingMm: Double,
                mask: [UInt8]? = nil, left: String = "R", right: String = "L", top: String = "A", bottom: String = "P",
                window: (low: Float, high: Float)? = nil) {
        self.title = title; self.pixels = pixels; self.width = width; self.height = height
        self.columnSpacingMm = columnSpacingMm; self.rowSpacingMm = rowSpacingMm; self.mask = mask
        self.left = left; self.right = right; self.top = top; self.bottom = bottom; self.window = window
    }

    /// Checks sizes and spacing.
    func validate() throws {
        guard width > 0, height > 0, pixels.count == width * height else {
            throw ReportsError.invalidInput("key image \"\(title)\": \(pixels.count) values for \(width)×\(height) pixels")
        }
        if let mask, mask.count != pixels.count {
            throw ReportsError.invalidInput("key image \"\(title)\": mask has \(mask.count) values, image \(pixels.count)")
        }
        guard columnSpacingMm > 0, rowSpacingMm > 0, columnSpacingMm.isFinite, rowSpacingMm.isFinite else {
            throw ReportsError.invalidInput("key image \"\(title)\": pixel spacing must be positive")
        }
    }

    /// The window actually used.
    func effectiveWindow() -> (Float, Float) {
        if let window, window.high > window.low { return (window.low, window.high) }
        let finite = pixels.filter { $0.isFinite }.sorted()
        guard !finite.isEmpty else { return (0, 1) }
        let lo = finite[Int(Double(finite.count - 1) * 0.01)], hi = finite[Int(Double(finite.count - 1) * 0.99)]
        return hi > lo ? (lo, hi) : (lo, lo + 1)
    }
}
