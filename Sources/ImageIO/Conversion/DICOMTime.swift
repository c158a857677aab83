/// DICOM times (TM `HHMMSS.FFFFFF`, DT `YYYYMMDDHHMMSS.FFFFFF`, or a date and a time joined, as
/// `DICOMFrameAttributes` keeps them) as seconds, and in the `HH:MM:SS.ffffff` form BIDS
/// sidecars use (dcm2niix's `AcquisitionTime`). PS3.5 §6.2 (DA, DT, TM); the pre-1993 form
/// `HH:MM:SS` is read too.
enum DICOMTime {
    /// Seconds since midnight of the value's date (days counted from 1970-01-01 when a date is
    /// present), or nil when the text is not a time.
    static func seconds(_ text: String) -> Double? {
        let s = text.filter { $0 != ":" }.split(separator: "+").first.map(String.init) ?? ""
        var digits = Substring(s.split(separator: "-").first ?? "")
        guard !digits.isEmpty else { return nil }
        var days = 0
        let intPart = digits.split(separator: ".").first ?? ""
        if intPart.count >= 8 {
            guard let y = Int(digits.prefix(4)), let m = Int(digits.dropFirst(4).prefix(2)),
                  let d = Int(digits.dropFirst(6).prefix(2)) else { return nil }
            days = daysFromCivil(y, m, d)
            digits = digits.dropFirst(8)
            if digits.isEmpty { return Double(days) * 86400 }
        }
        let whole = digits.split(separator: ".", omittingEmptySubsequences: false)
        let hms = whole.first ?? ""
        guard hms.count >= 2, hms.count <= 6, hms.allSatisfy(\.isNumber) else { return nil }
        let h = Int(hms.prefix(2)) ?? 0
        let m = hms.count >= 4 ? Int(hms.dropFirst(2).prefix(2)) ?? 0 : 0
        let sec = hms.count >= 6 ? Int(hms.dropFirst(4).prefix(2)) ?? 0 : 0
        var fraction = 0.0
        if whole.count > 1, !whole[1].isEmpty {
            guard whole[1].allSatisfy(\.isNumber), let f = Double("0." + whole[1]) else { return nil }
            fraction = f
        }
        return Double(days) * 86400 + Double(h * 3600 + m * 60 + sec) + fraction
    }

    /// `HH:MM:SS.ffffff` of a TM or DT value (the date dropped), or nil.
    static func bidsTime(_ text: String) -> String? {
        guard let s = seconds(text) else { return nil }
        let inDay = s - (s / 86400).rounded(.down) * 86400
        let micro = Int((inDay * 1e6).rounded())
        let h = micro / 3_600_000_000, m = micro / 60_000_000 % 60, sec = micro / 1_000_000 % 60, f = micro % 1_000_000
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let frac = String(f)
        return "\(two(h)):\(two(m)):\(two(sec)).\(String(repeating: "0", count: 6 - frac.count))\(frac)"
    }

    /// Days from 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }
}
