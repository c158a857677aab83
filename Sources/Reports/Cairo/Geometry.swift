/// A point on a page, in PDF points (1/72 inch), origin at the top-left corner, y downwards
/// (Cairo's convention, stated once: charts flip their own y axis).
public struct Point: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
}

/// A rectangle on a page, in points, origin top-left.
public struct Rect: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }
    public var maxX: Double { x + width }
    public var maxY: Double { y + height }
    /// The rectangle shrunk by `d` on every side.
    public func inset(_ d: Double) -> Rect { Rect(x: x + d, y: y + d, width: max(0, width - 2 * d), height: max(0, height - 2 * d)) }
    /// True when `other` lies inside (with a small tolerance for rounding).
    public func contains(_ other: Rect, tolerance: Double = 1e-6) -> Bool {
        other.x >= x - tolerance && other.y >= y - tolerance
            && other.maxX <= maxX + tolerance && other.maxY <= maxY + tolerance
    }
    /// Splits off the top `h` points: (top, rest).
    public func splitTop(_ h: Double) -> (Rect, Rect) {
        let h = min(h, height)
        return (Rect(x: x, y: y, width: width, height: h), Rect(x: x, y: y + h, width: width, height: height - h))
    }
}

/// Page sizes in points.
public enum PageSize {
    /// ISO A4 portrait, 210 × 297 mm.
    public static let a4 = (width: 595.2756, height: 841.8898)
    /// ISO A4 landscape.
    public static let a4Landscape = (width: 841.8898, height: 595.2756)
    /// Points per millimetre.
    public static let pointsPerMm = 72.0 / 25.4
}
