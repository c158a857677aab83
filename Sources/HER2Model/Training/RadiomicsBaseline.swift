import Biostatistics
import LinearAlgebra

/// The "traditional method" baseline of issue 10: the handcrafted radiomics features through
/// the same rules as the deep ones, separately — ICC(2,1) ≥ the threshold, standardise,
/// cross-validated LASSO-logistic (same folds and seed) → a radiomics rad-score → a logistic
/// model of that score alone ("radiomics"), beside clinical, deep and combined. Its AUC (DeLong
/// interval) and DeLong's paired test deep vs radiomics go in training_summary.json for the
/// training and the validation studies; it is not part of model.json (`predict` scores the
/// study's combined model only).
public struct RadiomicsBaseline: Sendable {
    /// How the radiomics features were chosen (as model.json's `featureSelection`).
    public let selection: ModelArtifact.FeatureSelection
    public let radScore: ModelArtifact.RadScore
    /// The logistic model of the radiomics rad-score (its coefficients in the summary).
    public let fit: LogisticModel
    public let training: SplitMetrics
    public let validation: SplitMetrics?

    /// The radiomics model's discrimination on one set, and against the deep model.
    public struct SplitMetrics: Sendable {
        public let auc: ModelArtifact.AUC
        /// DeLong's paired test, deep minus radiomics (AUCs of the same studies).
        public let delongDeepVsRadiomics: ModelArtifact.SplitMetrics.PairedTest
        /// The radiomics model's probability per study, in the split's order.
        public let probabilities: [Double]
    }

    /// Fits on the training rows' radiomics columns; scores the validation rows; compares with
    /// the deep model's probabilities of the same studies (`deepTraining`, `deepValidation`).
    static func fit(_ table: FeatureTable, columns: [Int], training: [FeatureTable.Row], outcome y: [Double],
                    validation: [FeatureTable.Row], deepTraining: [Double], deepValidation: [Double]?,
                    settings: TrainingSettings) throws -> RadiomicsBaseline {
        let selected = try RadScoreFit.fit(table, columns: columns, training: training, outcome: y,
                                           settings: settings, family: "radiomics")
        let index = Dictionary(uniqueKeysWithValues: table.featureNames.enumerated().map { ($1, $0) })
        let scores = training.map { selected.radScore.score($0, index: index) }
        // As the study's models: maximum likelihood, Firth's penalised likelihood under separation.
        let model = try Trainer.logistic("radiomics model", Matrix(scores.map { [$0] }), y, [ClinicalPredictors.radScore])
        var selection = selected.selection
        selection.diagnostics += model.diagnostics.map { "radiomics model: \($0)" }
        func metrics(_ rows: [FeatureTable.Row], deep: [Double], labels: [Double], step: String) throws -> SplitMetrics {
            let p = rows.map { model.probability([selected.radScore.score($0, index: index)]) }
            return try Trainer.labelled(step) {
                let r = try ROCAnalysis(scores: p, labels: labels)
                let t = try ROCAnalysis(scores: deep, labels: labels).compare(with: r)
                return SplitMetrics(auc: .init(auc: r.auc, ci95: [r.ci.lower, r.ci.upper]),
                                    delongDeepVsRadiomics: .init(z: t.z, p: t.p), probabilities: p)
            }
        }
        let validationMetrics = try deepValidation.map {
            try metrics(validation, deep: $0, labels: validation.map { $0.her2! ? 1 : 0 }, step: "radiomics model on the validation studies")
        }
        return RadiomicsBaseline(selection: selection, radScore: selected.radScore, fit: model,
                                 training: try metrics(training, deep: deepTraining, labels: y, step: "radiomics model on the training studies"),
                                 validation: validationMetrics)
    }
}
