/// A colour with components in [0, 1].
public struct RGBColor: Sendable, Equatable {
    public var red: Double
    public var green: Double
    public var blue: Double
    public init(red: Double, green: Double, blue: Double) { self.red = red; self.green = green; self.blue = blue }
    /// A grey level (0 black, 1 white).
    public init(grey: Double) { self.init(red: grey, green: grey, blue: grey) }

    /// Parses "#rrggbb"; nil when malformed.
    public init?(hex: String) {
        var s = Substring(hex)
        if s.hasPrefix("#") { s = s.dropFirst() }
        guard s.count == 6, let v = UInt32(s, radix: 16) else { return nil }
        self.init(red: Double((v >> 16) & 0xff) / 255, green: Double((v >> 8) & 0xff) / 255, blue: Double(v & 0xff) / 255)
    }

    /// Relative luminance (Rec. 709 weights), used to check that series stay apart in grey print.
    public var luminance: Double { 0.2126 * red + 0.7152 * green + 0.0722 * blue }

    public static let black = RGBColor(grey: 0)
    public static let white = RGBColor(grey: 1)
}
