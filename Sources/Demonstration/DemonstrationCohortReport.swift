import Foundation
import Reports

/// The demonstration's QA step: the cohort documents (`her2mri cohort-report`: ROC, calibration,
/// decision curve, Table 1, cohort_metrics.json) regenerated from the model's predictions of the
/// new studies the drop folder reported, against their synthetic truth — patients the model
/// never saw, so the AUC is not the optimistic training one (and, with a dozen studies and
/// seeded weights, wide).
struct DemonstrationCohortReport {
    let output: URL
    let outbox: URL
    /// Study → "positive" / "negative".
    let labels: [String: String]
    /// study.json of each study, for the clinical columns of Table 1.
    let archive: URL

    func run() throws -> [String] {
        let fm = FileManager.default
        let folder = output.appendingPathComponent("cohort-report")
        var rows = ["id,label,combined,age,tumourSizeMm,lymphNodeInvolvement,microcalcifications,kineticType,peritumoralEdema,centre"]
        for study in labels.keys.sorted() {
            guard let data = fm.contents(atPath: outbox.appendingPathComponent("\(study)/prediction.json").path),
                  let p = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let probability = p["probability"] as? Double else { continue }
            var factors: [String: Double] = [:]
            for f in p["factors"] as? [[String: Any]] ?? [] {
                if let name = f["name"] as? String, let value = f["value"] as? Double { factors[name] = value }
            }
            let measures = p["measures"] as? [String: Any] ?? [:]
            let manifest = fm.contents(atPath: archive.appendingPathComponent("\(study)/study.json").path)
                .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] } ?? [:]
            let centre = (manifest["study"] as? [String: Any])?["centre"] as? String ?? ""
            func cell(_ value: Any?) -> String {
                guard let v = value else { return "" }
                switch v {
                case let d as Double: return d == d.rounded() ? String(Int(d)) : String(d)
                case let b as Bool: return b ? "1" : "0"
                case let i as Int: return String(i)
                default: return ""
                }
            }
            rows.append([study, labels[study] == "positive" ? "1" : "0", String(probability),
                         cell(factors["age"]), cell(measures["diameterMm"]), cell(factors["lymphNodeInvolvement"]),
                         cell(factors["microcalcifications"]), cell(measures["kineticType"]), cell(measures["peritumoralEdema"]),
                         centre].joined(separator: ","))
        }
        try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        let csv = folder.appendingPathComponent("predictions.csv")
        try (rows.joined(separator: "\n") + "\n").write(to: csv, atomically: true, encoding: .utf8)
        let positives = rows.dropFirst().filter { $0.split(separator: ",")[1] == "1" }.count
        guard positives > 0 && positives < rows.count - 1 else {
            return ["5. Cohort documents skipped: the \(rows.count - 1) new studies hold only one class (\(csv.path))."]
        }
        var settings = CohortAnalysisSettings()
        settings.bootstrapReplicates = 200
        let outcome = try CohortReport.run(predictions: csv.path, out: folder.path, settings: settings)
        let a = outcome.analysis
        var lines = [
            "5. Regenerated the cohort documents from the predictions of the \(a.n) new studies (\(a.positives) HER2-positive):",
            "   her2mri cohort-report --predictions \(csv.path) --out \(folder.path)",
        ]
        if let m = a.models.first {
            lines.append("   AUC of the combined model on them: " + String(format: "%.3f", m.roc.auc)
                         + " (a small cohort and seeded weights: a wide interval; see roc.pdf)")
        }
        for f in outcome.files { lines.append("   " + folder.appendingPathComponent(f).path) }
        return lines
    }
}
