import Foundation

/// How identifiers and values appear on the PDFs.
enum DisplayName {
    /// DICOM PN "Family^Given^Middle^Prefix^Suffix" → "FAMILY, Given Middle" (the family name in
    /// capitals, as wards print it); other strings unchanged; nil for nil or empty.
    static func person(_ pn: String?) -> String? {
        guard let pn, !pn.isEmpty else { return nil }
        let first = pn.split(separator: "=", omittingEmptySubsequences: false).first.map(String.init) ?? pn
        let parts = first.split(separator: "^", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1 else { return first }
        let given = parts.dropFirst().prefix(2).filter { !$0.isEmpty }.joined(separator: " ")
        return given.isEmpty ? parts[0].uppercased() : "\(parts[0].uppercased()), \(given)"
    }

    /// "YYYYMMDD" → "YYYY-MM-DD"; other forms unchanged; "—" for nil.
    static func date(_ d: String?) -> String {
        guard let d, !d.isEmpty else { return "—" }
        let c = Array(d)
        guard c.count == 8, c.allSatisfy(\.isNumber) else { return d }
        return "\(String(c[0..<4]))-\(String(c[4..<6]))-\(String(c[6..<8]))"
    }

    /// "YYYY-MM-DD hh:mm UTC".
    static func time(_ t: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return f.string(from: t)
    }

    static func value(_ v: Double, yes: String, no: String, binary: Bool) -> String {
        if binary && (v == 0 || v == 1) { return v == 1 ? yes : no }
        if v == v.rounded() && abs(v) < 1e6 { return String(Int(v)) }
        return String(format: "%.3g", v)
    }
}
