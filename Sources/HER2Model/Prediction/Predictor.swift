import Foundation

/// Scores one study with a model: rad-score, the combined model's probability with its 95 %
/// confidence interval, the call at the model's threshold and the nomogram points per factor.
///
/// The interval is the delta method on the linear predictor (Hosmer & Lemeshow, Applied
/// Logistic Regression, 2nd ed., 2000, §3.5): η = x̃ᵀβ with x̃ = (1, radScore, clinical…),
/// Var(η) = x̃ᵀ Σ x̃ from the combined model's coefficient covariance Σ, and
/// CI = logistic(η ± 1.959964·√Var(η)). The rad-score enters as a fixed covariate: the
/// uncertainty of its own LASSO coefficients is ignored (the interval is therefore too narrow
/// by that much; LASSO coefficients have no simple covariance).
public struct Predictor: Sendable {
    public let model: ModelArtifact

    public init(model: ModelArtifact) { self.model = model }

    /// What the model says of one study.
    public struct Score: Sendable, Equatable {
        public var radScore: Double
        /// Linear predictors of the clinical, deep and combined models.
        public var clinicalLinearPredictor: Double
        public var deepLinearPredictor: Double
        public var linearPredictor: Double
        /// Standard error of the combined linear predictor (delta method).
        public var standardError: Double
        /// Combined model's probability of HER2-positive status.
        public var probability: Double
        public var ci95: [Double]
        public var call: Prediction.Call
        /// Nomogram factors in model order (radScore first).
        public var factors: [Prediction.Factor]
        public var totalPoints: Double
    }

    /// The normal quantile of a two-sided 95 % interval.
    static let z975 = 1.959963984540054

    /// logistic(η), written to keep its digits for large |η|.
    static func logistic(_ eta: Double) -> Double {
        eta >= 0 ? 1 / (1 + exp(-eta)) : exp(eta) / (1 + exp(eta))
    }

    /// The rad-score from named deep features; a missing or non-finite feature is an error
    /// naming the study.
    public func radScore(studyId: String, feature: (String) -> Double?) throws -> Double {
        var s = model.radScore.intercept
        for f in model.radScore.features {
            guard let v = feature(f.name) else {
                throw HER2ModelError.invalidStudy(path: studyId, reason: "the model needs feature \(f.name), which this study's features lack; potential fix: extract features with the backbones and weights the model lists")
            }
            guard v.isFinite else {
                throw HER2ModelError.invalidStudy(path: studyId, reason: "feature \(f.name) is not a finite number")
            }
            s += f.coefficient * (v - f.mean) / f.sd
        }
        return s
    }

    /// Scores one study from its clinical values (`ClinicalPredictors.names` order) and a lookup
    /// of its deep features by name.
    public func score(studyId: String, clinical: [Double], feature: (String) -> Double?) throws -> Score {
        precondition(clinical.count == ClinicalPredictors.names.count, "one value per clinical predictor")
        for (name, v) in zip(ClinicalPredictors.names, clinical) where !v.isFinite {
            throw HER2ModelError.invalidStudy(path: studyId, reason: "clinical value \(name) is not a finite number")
        }
        let r = try radScore(studyId: studyId, feature: feature)
        let x = [r] + clinical
        let combined = model.models.combined
        let xt = [1.0] + x
        var eta = 0.0
        for (c, v) in zip(combined.coefficients, xt) { eta += c.estimate * v }
        var variance = 0.0
        for i in 0..<xt.count { for j in 0..<xt.count { variance += xt[i] * combined.covariance[i][j] * xt[j] } }
        let se = max(variance, 0).squareRoot()
        let p = Predictor.logistic(eta)
        let ci = [Predictor.logistic(eta - Predictor.z975 * se), Predictor.logistic(eta + Predictor.z975 * se)]
        var factors = [Prediction.Factor]()
        for (axis, v) in zip(model.nomogram.axes, x) {
            factors.append(Prediction.Factor(name: axis.name, value: v,
                                             points: axis.pointsPerUnit * v - model.nomogram.scale * axis.minimumEffect))
        }
        let total = factors.reduce(0) { $0 + $1.points }
        return Score(radScore: r,
                     clinicalLinearPredictor: Predictor.linear(model.models.clinical, clinical),
                     deepLinearPredictor: Predictor.linear(model.models.deep, [r]),
                     linearPredictor: eta, standardError: se, probability: p, ci95: ci,
                     call: p >= model.threshold.probability ? .positive : .negative,
                     factors: factors, totalPoints: total)
    }

    static func linear(_ m: ModelArtifact.Logistic, _ x: [Double]) -> Double {
        var s = m.coefficients[0].estimate
        for (c, v) in zip(m.coefficients.dropFirst(), x) { s += c.estimate * v }
        return s
    }
}
