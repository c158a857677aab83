import Foundation
import HER2Model
import Reports
import SyntheticCohorts

/// The demonstration's training step: a model trained on the demo cohort with EfficientNet-B0
/// on seeded weights only (the cheapest backbone, to keep the demo to minutes). Everything it
/// makes is a demonstration model — not for clinical use.
struct DemonstrationModel {
    let cohort: URL
    let output: URL

    /// The backbone of the demonstration model.
    static let backbone = "efficientnet_b0"

    /// Trains; returns what was made and the lines to print.
    func run() throws -> (TrainingJob.Report, [String]) {
        let modelFolder = output.appendingPathComponent("model")
        try FileManager.default.createDirectory(at: modelFolder, withIntermediateDirectories: true)
        var settings = TrainingSettings()
        settings.folds = 5
        settings.seed = 1
        let trained = try TrainingJob(cohort: cohort, labels: cohort.appendingPathComponent("labels.csv"), featureTable: nil,
                                      output: modelFolder.appendingPathComponent("model.json"), settings: settings,
                                      backbones: [DemonstrationModel.backbone], weights: BackboneWeights(directory: nil)).run()
        let m = trained.model
        let lines = [
            "3. Trained a demonstration model on the \(m.trainedOn.studies) studies (EfficientNet-B0 on seeded weights; ICC → LASSO → logistic → nomogram):",
            "   \(trained.modelURL.path)",
            "   \(trained.summaryURL.path)",
            "   training AUC: combined " + String(format: "%.3f", m.metrics.training.models.combined.auc)
                + ", clinical " + String(format: "%.3f", m.metrics.training.models.clinical.auc)
                + " (on the training studies themselves: optimistic)",
        ]
        return (trained, lines)
    }
}
