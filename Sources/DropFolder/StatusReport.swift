import Foundation
import Support

/// `her2mri status`: what the ledger says — counts by state, the recent failures and the
/// throughput — for the administrator at the terminal (text) or a monitor (JSON).
public struct StatusReport: Sendable {
    public let counts: [Ledger.State: Int]
    public let recentFailures: [Ledger.Entry]
    /// Studies reported in the last hour, and their mean processing time.
    public let reportedLastHour: Int
    public let meanSeconds: Double?

    public init(work: URL, now: Double = Date().timeIntervalSince1970) throws {
        let file = work.appendingPathComponent("ledger.sqlite")
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw DropFolderError.ledger(path: file.path, reason: "no ledger here; is this the watcher's work folder?")
        }
        let entries = try Ledger(file: file).entries()
        var counts: [Ledger.State: Int] = [:]
        for e in entries { counts[e.state, default: 0] += 1 }
        self.counts = counts
        recentFailures = Array(entries.filter { $0.state == .failed }.suffix(10).reversed())
        let recent = entries.filter { $0.state == .reported && ($0.finishedAt ?? 0) > now - 3600 }
        reportedLastHour = recent.count
        let times = entries.compactMap { $0.state == .reported ? $0.seconds : nil }
        meanSeconds = times.isEmpty ? nil : times.reduce(0, +) / Double(times.count)
    }

    public var json: JSONValue {
        .object([
            ("counts", .object(Ledger.State.allCases.map { ($0.rawValue, .integer(counts[$0] ?? 0)) })),
            ("reportedLastHour", .integer(reportedLastHour)),
            ("meanSecondsPerStudy", meanSeconds.map { .number($0) } ?? .null),
            ("recentFailures", .array(recentFailures.map { e in
                .object([("study", .string(e.study)), ("at", .number(e.finishedAt ?? e.claimedAt)),
                         ("attempts", .integer(e.attempts)), ("error", .string(e.error ?? ""))])
            })),
        ])
    }

    public var text: String {
        var lines = ["studies: " + Ledger.State.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }.joined(separator: ", ")]
        lines.append("reported in the last hour: \(reportedLastHour)" + (meanSeconds.map { String(format: ", %.1f s per study on average", $0) } ?? ""))
        if !recentFailures.isEmpty {
            lines.append("recent failures:")
            for e in recentFailures {
                let first = (e.error ?? "").split(separator: "\n").first.map(String.init) ?? ""
                lines.append("  \(e.study): \(first)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
