import Foundation

/// `model.json`: everything `predict` needs to score a study as training scored it, and what the
/// model was trained on (DESIGN.md, "Model artifact"). Immutable once made by `Trainer`; read
/// back exactly (`ModelArtifact.read`), refused when its schema version or content hash does
/// not match.
///
/// Conventions (stated once):
/// - The rad-score is the LASSO linear predictor on standardised features:
///   radScore = intercept + Σ coefficientⱼ · (xⱼ − meanⱼ) / sdⱼ (sd with n − 1).
/// - Logistic coefficients are intercept first, then `predictors` in order; `covariance` is
///   (XᵀWX)⁻¹ in that order. The combined model's predictors are `radScore` then
///   `ClinicalPredictors.names`.
/// - Probabilities of HER2-positive status, never percent; called positive when
///   probability ≥ `threshold.probability`.
/// - `contentHash` is `sha256:` + SHA-256 of the compact JSON of the model with `createdAt` and
///   `contentHash` set to "" (so the hash names the model's content, not the moment it was
///   written).
public struct ModelArtifact: Sendable, Equatable, Codable {
    /// The schema this build reads and writes.
    public static let currentSchemaVersion = "her2mri.model/1"

    /// The cohort behind the model.
    public struct TrainedOn: Sendable, Equatable, Codable {
        /// Training studies (the validation centre excluded).
        public var studies: Int
        /// Training centres, sorted.
        public var centres: [String]
        public var positives: Int
        public var negatives: Int
        public var validationCentre: String?
        public var validationStudies: Int
        /// "cohort" (features extracted from study folders) or "featureTable".
        public var featureSource: String
        /// SHA-256 of the feature table, or of the cohort's input hashes in study order.
        public var inputHash: String
    }

    /// One backbone and the weights its features came from.
    public struct BackboneRecord: Sendable, Equatable, Codable {
        public var name: String
        /// `sha256:<hex>` of the safetensors file, or `seeded:<seed>`.
        public var weights: String
        public init(name: String, weights: String) { self.name = name; self.weights = weights }
        /// Seeded (not pretrained) weights.
        public var isSeeded: Bool { weights.hasPrefix("seeded:") }
    }

    /// How the rad-score's features were chosen.
    public struct FeatureSelection: Sendable, Equatable, Codable {
        public var iccForm: String
        public var iccThreshold: Double
        /// Studies with both readers' features (the ICC sample).
        public var iccStudies: Int
        public var featuresIn: Int
        public var featuresAfterICC: Int
        public var folds: Int
        /// The fold seed, as text (a UInt64 may exceed JSON's exact integers).
        public var seed: String
        /// "1se" or "min": the rule asked for.
        public var lambdaRule: String
        /// The λ used.
        public var lambda: Double
        public var lambdaMin: Double
        public var lambda1se: Double
        /// Surprises: a fallback from 1se to min, LASSO diagnostics.
        public var diagnostics: [String]
    }

    /// One feature of the rad-score with its standardisation.
    public struct SelectedFeature: Sendable, Equatable, Codable {
        public var name: String
        public var mean: Double
        public var sd: Double
        public var coefficient: Double
    }

    /// The rad-score (deep-learning score).
    public struct RadScore: Sendable, Equatable, Codable {
        public var intercept: Double
        public var features: [SelectedFeature]
    }

    /// One fitted logistic model.
    public struct Logistic: Sendable, Equatable, Codable {
        public struct Coefficient: Sendable, Equatable, Codable {
            public var name: String
            public var estimate: Double
            public var standardError: Double
        }
        /// Predictor names in order (without the intercept).
        public var predictors: [String]
        /// "(Intercept)" first, then the predictors.
        public var coefficients: [Coefficient]
        /// Covariance of the estimates, rows in coefficient order.
        public var covariance: [[Double]]
    }

    /// The three models of the study.
    public struct Models: Sendable, Equatable, Codable {
        /// Clinical factors only.
        public var clinical: Logistic
        /// The rad-score alone.
        public var deep: Logistic
        /// Rad-score plus clinical factors: the model `predict` uses and the nomogram draws.
        public var combined: Logistic
    }

    /// rms::nomogram scales of the combined model (Biostatistics.Nomogram).
    public struct NomogramScales: Sendable, Equatable, Codable {
        public struct Axis: Sendable, Equatable, Codable {
            public var name: String
            public var values: [Double]
            public var points: [Double]
            public var pointsPerUnit: Double
            public var minimumEffect: Double
        }
        public struct Tick: Sendable, Equatable, Codable {
            public var probability: Double
            public var points: Double
        }
        /// Points per unit of linear predictor.
        public var scale: Double
        public var linearPredictorAtZero: Double
        public var axes: [Axis]
        public var totalPointsTicks: [Double]
        public var probabilityTicks: [Tick]
    }

    /// The operating point.
    public struct Threshold: Sendable, Equatable, Codable {
        /// Probability cut-off: positive when probability ≥ this.
        public var probability: Double
        /// How it was chosen.
        public var rule: String
        /// On the training set.
        public var sensitivity: Double
        public var specificity: Double
    }

    /// AUC with its DeLong 95 % interval.
    public struct AUC: Sendable, Equatable, Codable {
        public var auc: Double
        public var ci95: [Double]
    }

    /// Discrimination of the three models on one set of studies.
    public struct SplitMetrics: Sendable, Equatable, Codable {
        public struct ModelAUCs: Sendable, Equatable, Codable {
            public var clinical: AUC
            public var deep: AUC
            public var combined: AUC
        }
        public struct PairedTest: Sendable, Equatable, Codable {
            public var z: Double
            public var p: Double
        }
        public var n: Int
        public var positives: Int
        public var models: ModelAUCs
        /// DeLong's paired test, combined minus clinical.
        public var delongCombinedVsClinical: PairedTest
    }

    public struct Metrics: Sendable, Equatable, Codable {
        public var training: SplitMetrics
        /// nil without a validation centre.
        public var validation: SplitMetrics?
    }

    public var schemaVersion: String
    public var contentHash: String
    /// ISO 8601 UTC; excluded from the content hash.
    public var createdAt: String
    /// Trained on synthetic studies: every output says "demonstration model — not for clinical use".
    public var demonstrationModel: Bool
    public var trainedOn: TrainedOn
    /// Preprocessing parameters the features were made with, by name.
    public var preprocessing: [String: String]
    public var backbones: [BackboneRecord]
    public var featureSelection: FeatureSelection
    public var radScore: RadScore
    public var models: Models
    public var nomogram: NomogramScales
    public var threshold: Threshold
    public var metrics: Metrics

    /// Any backbone ran on seeded weights.
    public var seededWeights: Bool { backbones.contains { $0.isSeeded } }
}
