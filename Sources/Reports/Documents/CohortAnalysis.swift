import Foundation
import Biostatistics
import LinearAlgebra
import Support

/// Settings of the cohort analysis (plain values).
public struct CohortAnalysisSettings: Sendable, Equatable {
    /// Bootstrap resamples for the bias-corrected calibration curve (rms::calibrate's B).
    public var bootstrapReplicates = 1000
    public var seed: UInt64 = 1
    /// Confidence level of the AUC intervals.
    public var level = 0.95
    /// Hosmer–Lemeshow groups.
    public var groups = 10
    /// Decision-curve thresholds (dcurves' default grid 0.01 … 0.99).
    public var thresholds: [Double] = (1...99).map { Double($0) / 100 }
    public init() {}
}

/// Every number the cohort PDFs draw, from Biostatistics: per model the ROC (DeLong variance and
/// CI, Youden point), calibration (rms::val.prob statistics, Hosmer–Lemeshow, deciles; the
/// apparent and bootstrap bias-corrected curves of rms::calibrate for the logistic
/// recalibration y ~ logit(p)), the decision curve (dcurves' net benefit); DeLong's paired test
/// for each pair of models; Table 1 when clinical columns are present.
public struct CohortAnalysis: Sendable {
    public struct Model: Sendable {
        public let name: String
        public let roc: ROCAnalysis
        public let calibration: CalibrationAnalysis
        public let corrected: OptimismCorrectedCalibration
        public let decision: DecisionCurve
        /// Probabilities moved off exactly 0 or 1 for the logit (count), reported as a diagnostic.
        public let clamped: Int
    }
    public struct Pair: Sendable {
        public let a: String, b: String
        public let test: DeLong.PairedTest
    }
    public let settings: CohortAnalysisSettings
    public let n: Int, positives: Int
    public let models: [Model]
    public let pairs: [Pair]
    public let table1: BaselineTable?
    public var prevalence: Double { Double(positives) / Double(n) }

    /// Probabilities are clamped to [ε, 1 − ε] (ε = 1e-8) for the logit that calibration needs.
    public static let logitClamp = 1e-8

    public init(_ t: PredictionsTable, settings: CohortAnalysisSettings = CohortAnalysisSettings()) throws {
        self.settings = settings
        n = t.labels.count
        positives = t.labels.filter { $0 == 1 }.count
        let y = t.labels
        let dcs = { var d = DecisionCurveSettings(); d.thresholds = settings.thresholds; return d }()
        let cs = { var d = CalibrationSettings(); d.groups = settings.groups; return d }()
        // Models are independent: analyse them concurrently (the bootstrap dominates).
        let models = try ParallelMap.map(Array(t.models.indices)) { i -> Model in
            let p = t.probabilities[i]
            let eps = CohortAnalysis.logitClamp
            let pc = p.map { min(max($0, eps), 1 - eps) }
            let clamped = zip(p, pc).filter { $0 != $1 }.count
            do {
                let roc = try ROCAnalysis(scores: p, labels: y, level: settings.level)
                let cal = try CalibrationAnalysis(probabilities: pc, outcome: y, settings: cs)
                let x = Matrix(rows: pc.count, columns: 1, elements: pc.map { log($0 / (1 - $0)) })
                let oc = try OptimismCorrectedCalibration(predictors: x, outcome: y, names: ["logit(p)"],
                                                          replicates: settings.bootstrapReplicates, seed: settings.seed)
                let dc = try DecisionCurve(probabilities: p, outcome: y, settings: dcs)
                return Model(name: t.models[i], roc: roc, calibration: cal, corrected: oc, decision: dc, clamped: clamped)
            } catch {
                throw ReportsError.predictions(path: t.path, line: 1, column: t.models[i], reason: "cannot analyse this model: \(error)")
            }
        }
        self.models = models
        var pairs = [Pair]()
        for i in 0..<models.count {
            for j in (i + 1)..<models.count {
                pairs.append(Pair(a: models[i].name, b: models[j].name, test: try models[i].roc.compare(with: models[j].roc)))
            }
        }
        self.pairs = pairs
        table1 = t.clinical.isEmpty ? nil : try BaselineTable(t)
    }
}
