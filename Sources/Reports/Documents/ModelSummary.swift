import Biostatistics

/// What a patient report and the HL7 message say about the model: identity and hash, what it
/// was trained and validated on, how its backbones were initialised, its decision threshold
/// and nomogram scales. A plain value so Reports does not depend on the model artifact's
/// file format; the training room fills it from `model.json`.
public struct ModelSummary: Sendable {
    /// Model identifier (name and version), e.g. "her2mri-nomogram 1".
    public var modelId: String
    /// SHA-256 of `model.json`.
    public var sha256: String
    /// One line on the training cohort ("400 studies, 4 centres, 38 % HER2-positive").
    public var trainingCohort: String
    /// Validation AUC and its 95 % CI, when known.
    public var validationAUC: Double?
    public var validationAUCCI: (lower: Double, upper: Double)?
    /// Backbones ran on seeded weights (no pretrained weights were supplied).
    public var seededWeights: Bool
    /// Trained on synthetic studies: every page says "not for clinical use".
    public var demonstration: Bool
    /// The decision threshold on the probability.
    public var threshold: Double
    /// The nomogram scales (rms's construction, from Biostatistics.Nomogram or model.json).
    public var nomogram: NomogramLayout
    /// Display names of the predictors by model name ("lymphNodeInvolvement" → "Lymph nodes").
    public var displayNames: [String: String]
    /// The training cohort as numbers, so the report words it in its language (nil: print
    /// `trainingCohort` as given).
    public var trainingFacts: TrainingFacts? = nil

    /// What the training cohort line says.
    public struct TrainingFacts: Sendable {
        public var studies: Int
        public var centres: [String]
        public var positivePercent: Int
        public var validationCentre: String?
        public var validationStudies: Int
        /// No centre was held out: the AUC shown is on the training studies.
        public var aucOnTraining: Bool
        public init(studies: Int, centres: [String], positivePercent: Int, validationCentre: String?, validationStudies: Int, aucOnTraining: Bool) {
            self.studies = studies; self.centres = centres; self.positivePercent = positivePercent
            self.validationCentre = validationCentre; self.validationStudies = validationStudies; self.aucOnTraining = aucOnTraining
        }
    }

    public init(modelId: String, sha256: String, trainingCohort: String, validationAUC: Double?,
                validationAUCCI: (lower: Double, upper: Double)? = nil, seededWeights: Bool, demonstration: Bool,
                threshold: Double, nomogram: NomogramLayout, displayNames: [String: String] = [:]) {
        self.modelId = modelId; self.sha256 = sha256; self.trainingCohort = trainingCohort
        self.validationAUC = validationAUC; self.validationAUCCI = validationAUCCI
        self.seededWeights = seededWeights; self.demonstration = demonstration
        self.threshold = threshold; self.nomogram = nomogram; self.displayNames = displayNames
    }

    /// The display name of a predictor.
    public func displayName(_ name: String) -> String { displayNames[name] ?? name }
}
