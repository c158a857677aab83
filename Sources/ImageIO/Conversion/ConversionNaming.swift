/// Output names as dcm2niix's `-f %s_%d` makes them: `<SeriesNumber>_<SeriesDescription>` with
/// the stack's suffix (`_e2`, `_ph`, `_i1`, see `ConversionSeries`), made safe for every file
/// system, and `_a`, `_b`, … added when two stacks would still share a name.
struct ConversionNaming {
    private var used: Set<String> = []

    /// A name not given before (compared case-insensitively, for case-insensitive file systems).
    mutating func name(seriesNumber: Int?, description: String, suffix: String) -> String {
        var base = Self.fileSafe(description)
        if let seriesNumber { base = base.isEmpty ? "\(seriesNumber)" : "\(seriesNumber)_\(base)" }
        if base.isEmpty { base = "series" }
        base += suffix
        var candidate = base
        var n = 0
        while used.contains(candidate.lowercased()) {
            candidate = base + "_" + Self.letters(n)
            n += 1
        }
        used.insert(candidate.lowercased())
        return candidate
    }

    /// Characters Windows, macOS or Linux refuse in names (`<>:"/\|?*`), white space, control
    /// characters and anything outside printable ASCII become `_` (dcm2niix keeps `-`, `.`,
    /// `=`, `+`, … as we do); a leading `.` too, so no output is hidden.
    static func fileSafe(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            let v = scalar.value
            let bad = v < 0x21 || v > 0x7E || "<>:\"/\\|?*".unicodeScalars.contains(scalar)
            out.unicodeScalars.append(bad ? "_" : scalar)
        }
        if out.hasPrefix(".") { out = "_" + out.dropFirst() }
        return out
    }

    /// a, b, …, z, aa, ab, …
    static func letters(_ n: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz")
        return n < 26 ? String(alphabet[n]) : letters(n / 26 - 1) + String(alphabet[n % 26])
    }
}
