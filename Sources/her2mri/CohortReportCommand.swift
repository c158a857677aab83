import ArgumentParser
import Foundation
import HER2Model
import Reports

struct CohortReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cohort-report",
        abstract: "ROC, calibration and decision-curve PDFs (and Table 1) with cohort_metrics.json, from a predictions CSV or a cohort folder and a model.",
        discussion: """
        From a CSV (--predictions): a header id,label,<model>… : label 1 = HER2-positive, 0 = \
        negative, one column of probabilities in [0, 1] per model, and optionally the clinical \
        columns age, tumourSizeMm, lymphNodeInvolvement, microcalcifications, kineticType, \
        peritumoralEdema, centre (then table1.pdf is written).
        From a cohort (--cohort DIR --model model.json): every study folder runs through the \
        prediction chain and is scored by the model's clinical, deep and combined logistic \
        models; labels come from DIR/labels.csv (or --labels), else from each study.json. The \
        predictions are written as predictions.csv beside the PDFs. A study that fails fails the \
        command, with every failed study named.
        All outputs appear in --out together, or none do.
        """
    )

    @Option(help: "Predictions CSV (id,label,<model>…).") var predictions: String?
    @Option(help: "Cohort folder (one study folder per patient) to run through the prediction chain.") var cohort: String?
    @Option(help: "model.json from `her2mri train` (with --cohort).") var model: String?
    @Option(help: "labels.csv (studyId,her2) for --cohort (default: DIR/labels.csv when present, else study.json).") var labels: String?
    @Option(help: "Folder of <backbone>.safetensors the model was trained with (default: seeded weights).") var weightsDir: String?
    @Option(help: "Feature cache folder for --cohort (default: none).") var featureCache: String?
    @Option(help: "Output folder (created; existing files of the same names are replaced).") var out: String
    @Option(help: "Model columns to use, comma separated (default: every non-clinical column).") var models: String?
    @Option(help: "Bootstrap resamples for the bias-corrected calibration curve.") var bootstrap: Int = 1000
    @Option(help: "Seed of the bootstrap.") var seed: UInt64 = 1
    @Option(help: "Folder with site.json and <language>.json (default: the shipped templates).") var templates: String?
    @Option(help: "PDF language (en, zh); overrides site.json.") var language: String?

    func validate() throws {
        guard bootstrap >= 1 else { throw ValidationError("--bootstrap must be at least 1") }
        switch (predictions, cohort) {
        case (nil, nil): throw ValidationError("give --predictions CSV, or --cohort DIR with --model model.json")
        case (.some, .some): throw ValidationError("give either --predictions or --cohort, not both")
        case (nil, .some): if model == nil { throw ValidationError("--cohort needs --model model.json") }
        case (.some, nil):
            if model != nil || labels != nil || weightsDir != nil || featureCache != nil {
                throw ValidationError("--model, --labels, --weights-dir and --feature-cache go with --cohort, not --predictions")
            }
        }
    }

    func run() throws {
        let outcome = try runReportingErrors {
            var settings = CohortAnalysisSettings()
            settings.bootstrapReplicates = bootstrap
            settings.seed = seed
            let chosen = models.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
            let wording = try ReportTemplates.load(directory: templates, language: language)
            if let predictions {
                return try CohortReport.run(predictions: predictions, out: out, models: chosen, settings: settings, templates: wording)
            }
            func folder(_ p: String) -> URL { URL(fileURLWithPath: p, isDirectory: true) }
            let job = CohortPredictions(cohort: folder(cohort!), model: URL(fileURLWithPath: model!),
                                        weights: BackboneWeights(directory: weightsDir.map(folder)),
                                        labels: labels.map { URL(fileURLWithPath: $0) }, cacheDirectory: featureCache.map(folder))
            defer { ProgressBar.finish() }
            return try CohortReport.run(cohort: job, out: out, models: chosen, settings: settings, templates: wording,
                                        progress: ProgressBar.studies())
        }
        print("wrote \(outcome.files.joined(separator: ", ")) to \(out)")
    }
}
