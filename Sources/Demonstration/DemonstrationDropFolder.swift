import DropFolder
import Foundation
import SyntheticCohorts

/// The demonstration's drop-folder step: new synthetic patients (another seed than the training
/// cohort's, so patients the model never saw) are dropped into an inbox, and `her2mri watch
/// --once` with two workers turns each into report.pdf, hl7.xml, hl7.er7 and report.dcm in the
/// outbox — the tool's main mode in a hospital.
struct DemonstrationDropFolder {
    let output: URL
    let model: URL
    let studies: Int

    /// Seed of the new studies.
    static let seed: UInt64 = 9_999

    struct Outcome {
        let inbox: URL, outbox: URL, work: URL, log: URL
        /// Study → "positive" / "negative", from the synthetic truth.
        let labels: [String: String]
        let lines: [String]
    }

    func run() async throws -> Outcome {
        let fm = FileManager.default
        let drop = output.appendingPathComponent("drop-folder")
        let inbox = drop.appendingPathComponent("inbox"), outbox = drop.appendingPathComponent("outbox")
        let work = drop.appendingPathComponent("work"), log = work.appendingPathComponent("watch.log")
        for f in [inbox, outbox, work] {
            try fm.createDirectory(at: f, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        }
        // Synthesised beside the inbox, then each study moved in with its READY file, as a
        // DICOM node's export would arrive.
        let made = drop.appendingPathComponent("new-studies")
        let summary = try SyntheticCohort(patients: studies, seed: DemonstrationDropFolder.seed, format: .nifti).write(to: made)
        var labels: [String: String] = [:]
        let csv = try String(contentsOf: made.appendingPathComponent("labels.csv"), encoding: .utf8)
        for row in csv.split(separator: "\n").dropFirst() {
            let f = row.split(separator: ",").map(String.init)
            if f.count >= 2 { labels[f[0]] = f[1] }
        }
        for s in summary.studies {
            try fm.moveItem(at: made.appendingPathComponent(s), to: inbox.appendingPathComponent(s))
            fm.createFile(atPath: inbox.appendingPathComponent("\(s)/READY").path, contents: nil)
        }

        var settings = WatchSettings(inbox: inbox, outbox: outbox, model: model, work: work)
        settings.workers = 2
        settings.once = true
        settings.settleSeconds = 0
        let started = Date()
        try await WatchService.run(settings: settings, logger: try WatchService.logger(file: log))
        let seconds = Date().timeIntervalSince(started)
        let status = try StatusReport(work: work)

        var lines = [
            "4. Dropped \(summary.studies.count) new synthetic studies (seed \(DemonstrationDropFolder.seed), patients the model never saw) into",
            "   \(inbox.path)",
            "   and ran `her2mri watch --once --workers 2` on it (\(String(format: "%.0f", seconds)) s): each study claimed, predicted in a child process,",
            "   its outputs renamed into the outbox (files 0640), its inputs moved to the archive; the ledger records each step.",
            "   " + status.text.split(separator: "\n").first.map(String.init)!,
            "",
            "   study    truth     probability (95 % CI)   call",
        ]
        for s in summary.studies {
            let file = outbox.appendingPathComponent("\(s)/prediction.json")
            guard let data = fm.contents(atPath: file.path),
                  let p = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let probability = p["probability"] as? Double, let ci = p["ci95"] as? [Double], let call = p["call"] as? String else {
                lines.append("   \(s.padding(8)) \((labels[s] ?? "?").padding(9)) (not reported: see \(work.appendingPathComponent("failed").path))")
                continue
            }
            lines.append("   \(s.padding(8)) \((labels[s] ?? "?").padding(9)) "
                         + String(format: "%.3f (%.3f–%.3f)", probability, ci[0], ci[1]).padding(23) + " HER2-\(call)")
        }
        let first = outbox.appendingPathComponent(summary.studies[0])
        lines += [
            "",
            "   outputs:  \(outbox.path)/<study>/  report.pdf  hl7.xml  hl7.er7  report.dcm  prediction.json  provenance.json",
            "             e.g. \(first.appendingPathComponent("report.pdf").path)",
            "   inputs:   \(work.appendingPathComponent("archive").path)",
            "   ledger:   her2mri status --work \(work.path)",
            "   log:      \(log.path)  (JSON lines; studies named by a salted hash, never by patient)",
            "   service:  her2mri watch --inbox \(inbox.path) --outbox \(outbox.path) --model \(model.path)",
        ]
        return Outcome(inbox: inbox, outbox: outbox, work: work, log: log, labels: labels, lines: lines)
    }
}
