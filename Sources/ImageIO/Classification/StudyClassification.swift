import Foundation

/// Which series of a study is T1 (pre-contrast), T2 and DCE (phases in time order), with the
/// reason for every choice and every series left out — what `her2mri inspect DIR` prints and
/// what a report shows when the choice was automatic.
public struct StudyClassification: Sendable {
    /// One DCE phase: a temporal position of a series.
    public struct Phase: Sendable, Equatable {
        public let seriesInstanceUID: String
        /// The temporal position inside the series (see `SeriesHeader.TemporalPosition`).
        public let temporalPosition: Int
        /// Seconds after midnight, when the headers give it.
        public let time: Double?
    }

    public var t1: String?
    public var t2: String?
    public var dce: [Phase] = []
    /// Series Instance UID → why it got its role, or why it was left out.
    public var reasons: [String: String] = [:]
    /// Automatic choices a reader should know of (two candidate T2 series, no separate T1, …).
    public var warnings: [String] = []
    /// The headers classified, by Series Instance UID.
    public var headers: [String: SeriesHeader] = [:]

    /// The DCE series in the order of their first phase.
    public var dceSeries: [String] {
        var seen: [String] = []
        for p in dce where !seen.contains(p.seriesInstanceUID) { seen.append(p.seriesInstanceUID) }
        return seen
    }

    /// The study tree as text: each role, the series behind it and why; then what was left out.
    public var text: String {
        func name(_ uid: String) -> String {
            guard let h = headers[uid] else { return uid }
            let number = h.seriesNumber.map { "series \($0) " } ?? ""
            return "\(number)\"\(h.description)\" (\(h.files.count) files, \(uid))"
        }
        var lines: [String] = []
        let studies = Set(headers.values.compactMap(\.studyInstanceUID))
        lines.append("Study \(studies.sorted().joined(separator: ", ")): \(headers.count) series")
        if let t1 { lines.append("  T1   \(name(t1))\n         \(reasons[t1] ?? "")") } else { lines.append("  T1   none") }
        if let t2 { lines.append("  T2   \(name(t2))\n         \(reasons[t2] ?? "")") } else { lines.append("  T2   none") }
        lines.append("  DCE  \(dce.count) phases")
        for (i, p) in dce.enumerated() {
            let time = p.time.map { String(format: "%02d:%02d:%04.1f", Int($0) / 3600, Int($0) / 60 % 60, $0.truncatingRemainder(dividingBy: 60)) } ?? "time unknown"
            lines.append("       phase \(i): temporal position \(p.temporalPosition) of \(name(p.seriesInstanceUID)) at \(time)")
        }
        var said: Set<String> = []
        for uid in dceSeries { if let r = reasons[uid], said.insert(r).inserted { lines.append("         \(r)") } }
        let used = Set([t1, t2].compactMap { $0 } + dceSeries)
        let left = headers.keys.filter { !used.contains($0) }.sorted {
            (headers[$0]?.seriesNumber ?? 0, $0) < (headers[$1]?.seriesNumber ?? 0, $1)
        }
        for uid in left { lines.append("  not used: \(name(uid)) — \(reasons[uid] ?? "")") }
        for w in warnings { lines.append("  warning: \(w)") }
        return lines.joined(separator: "\n")
    }
}
