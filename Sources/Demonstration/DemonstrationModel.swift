import Foundation
import HER2Model
import Reports
import SyntheticCohorts

/// The demonstration's training and prediction step: a model trained on the demo cohort
/// (ResNet50 on seeded weights only, to keep the demo to minutes) and one new synthetic study
/// predicted with it. Everything it makes is a demonstration model — not for clinical use.
struct DemonstrationModel {
    let cohort: URL
    let output: URL

    /// Seed of the one new study (another seed than the cohort's, so a patient it never saw).
    static let newStudySeed: UInt64 = 9_999

    /// Trains, predicts, and returns the lines to print.
    func run() throws -> [String] {
        let modelFolder = output.appendingPathComponent("model")
        try FileManager.default.createDirectory(at: modelFolder, withIntermediateDirectories: true)
        var settings = TrainingSettings()
        settings.folds = 5
        settings.seed = 1
        let trained = try TrainingJob(cohort: cohort, labels: cohort.appendingPathComponent("labels.csv"), featureTable: nil,
                                      output: modelFolder.appendingPathComponent("model.json"), settings: settings,
                                      backbones: ["resnet50"], weights: BackboneWeights(directory: nil)).run()
        let newCohort = output.appendingPathComponent("new-study")
        let made = try SyntheticCohort(patients: 1, seed: DemonstrationModel.newStudySeed, format: .nifti).write(to: newCohort)
        let study = newCohort.appendingPathComponent(made.studies[0])
        let predicted = try PredictionJob(study: study, model: trained.modelURL, output: output.appendingPathComponent("prediction"),
                                          weights: BackboneWeights(directory: nil),
                                          documents: { prediction, manifest, artifact, folder in
                                              try PredictionDocuments.write(prediction: prediction, manifest: manifest, model: artifact, into: folder)
                                          }).run()
        let p = predicted.prediction
        let m = trained.model
        var lines = [
            "3. Trained a demonstration model on the \(m.trainedOn.studies) studies (ResNet50 on seeded weights; ICC → LASSO → logistic → nomogram):",
            "   \(trained.modelURL.path)",
            "   \(trained.summaryURL.path)",
            "   training AUC: combined " + String(format: "%.3f", m.metrics.training.models.combined.auc)
                + ", clinical " + String(format: "%.3f", m.metrics.training.models.clinical.auc)
                + " (on the training studies themselves: optimistic)",
            "",
            "4. Predicted a new study, \(study.path):",
            "   HER2-\(p.call.rawValue): probability " + String(format: "%.3f (95 %% CI %.3f–%.3f), threshold %.3f", p.probability, p.ci95[0], p.ci95[1], p.threshold),
            "   nomogram factor            value    points",
        ]
        for f in p.factors {
            lines.append("   " + f.name.padding(22) + String(format: "%9.3f", f.value).padding(9, leftAligned: false)
                         + String(format: "%10.1f", f.points))
        }
        lines += [
            "   total points" + String(format: "%37.1f", p.totalPoints),
            "   \(predicted.predictionURL.path)",
            "   \(predicted.provenanceURL.path)",
        ]
        let folder = predicted.predictionURL.deletingLastPathComponent()
        for d in predicted.documents { lines.append("   " + folder.appendingPathComponent(d).path) }
        lines.append("   demonstration model — not for clinical use; seeded weights, not ImageNet-pretrained")
        return lines
    }
}
