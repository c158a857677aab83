import ArgumentParser
import Foundation
import Reports

struct CohortReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cohort-report",
        abstract: "ROC, calibration and decision-curve PDFs (and Table 1) with cohort_metrics.json from a predictions CSV.",
        discussion: """
        The CSV has a header id,label,<model>… : label 1 = HER2-positive, 0 = negative, one column of \
        probabilities in [0, 1] per model, and optionally the clinical columns age, tumourSizeMm, \
        lymphNodeInvolvement, microcalcifications, kineticType, peritumoralEdema, centre (then \
        table1.pdf is written). All outputs appear in --out together, or none do.
        """
    )

    @Option(help: "Predictions CSV (id,label,<model>…).") var predictions: String
    @Option(help: "Output folder (created; existing files of the same names are replaced).") var out: String
    @Option(help: "Model columns to use, comma separated (default: every non-clinical column).") var models: String?
    @Option(help: "Bootstrap resamples for the bias-corrected calibration curve.") var bootstrap: Int = 1000
    @Option(help: "Seed of the bootstrap.") var seed: UInt64 = 1
    @Option(help: "Folder with site.json and <language>.json (default: the shipped templates).") var templates: String?
    @Option(help: "PDF language (en, zh); overrides site.json.") var language: String?

    func validate() throws {
        guard bootstrap >= 1 else { throw ValidationError("--bootstrap must be at least 1") }
    }

    func run() throws {
        let outcome = try runReportingErrors {
            var settings = CohortAnalysisSettings()
            settings.bootstrapReplicates = bootstrap
            settings.seed = seed
            return try CohortReport.run(predictions: predictions, out: out,
                                        models: models.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } },
                                        settings: settings, templates: try ReportTemplates.load(directory: templates, language: language))
        }
        print("wrote \(outcome.files.joined(separator: ", ")) to \(out)")
    }
}
