import Foundation

/// Each model's probability of HER2-positive status for every training and validation study,
/// written by `train` beside model.json as `predictions_training.csv` and
/// `predictions_validation.csv` in the format `her2mri cohort-report --predictions` reads:
/// header `id,label,clinical,deep,combined[,radiomics]`, `label` 1 = HER2-positive, then the
/// study's clinical columns (`age,tumourSizeMm,lymphNodeInvolvement,microcalcifications,
/// kineticType,peritumoralEdema,centre`, which the report's Table 1 reads). Probabilities, not
/// percent, in Swift's shortest round-trip form (a reader gets back exactly the values the
/// summary's AUCs were computed from). Validation probabilities come from the `Predictor`, as
/// `predict` scores a study.
public struct TrainingPredictions: Sendable {
    /// One set of studies.
    public struct Split: Sendable {
        public var rows: [FeatureTable.Row]
        /// Model name and one probability per row, in column order.
        public var models: [(name: String, probabilities: [Double])]

        /// Rows (their `her2` is the label) and each model's probabilities in row order.
        public init(rows: [FeatureTable.Row], models: [(name: String, probabilities: [Double])]) {
            precondition(models.allSatisfy { $0.probabilities.count == rows.count }, "one probability per row")
            self.rows = rows
            self.models = models
        }

        /// The CSV text (header, rows, final newline).
        public func csv() -> String {
            var out = (["id", "label"] + models.map(\.name) + ["age", "tumourSizeMm", "lymphNodeInvolvement",
                       "microcalcifications", "kineticType", "peritumoralEdema", "centre"]).joined(separator: ",") + "\n"
            for (i, r) in rows.enumerated() {
                var cells = [FeatureTable.quoted(r.studyId), r.her2 == true ? "1" : "0"]
                for m in models { cells.append("\(m.probabilities[i])") }
                cells += [FeatureTable.number(r.age), FeatureTable.number(r.tumourSizeMm), r.lymphNodeInvolvement ? "1" : "0",
                          r.microcalcifications ? "1" : "0", String(r.kineticType), r.peritumoralEdema ? "1" : "0",
                          FeatureTable.quoted(r.centre)]
                out += cells.joined(separator: ",") + "\n"
            }
            return out
        }

        /// A model's probabilities by name.
        public func probabilities(_ name: String) -> [Double]? { models.first { $0.name == name }?.probabilities }
        /// 1 = HER2-positive, 0 = negative.
        public var labels: [Double] { rows.map { $0.her2 == true ? 1 : 0 } }
    }

    public var training: Split
    /// nil without a validation centre.
    public var validation: Split?
}
