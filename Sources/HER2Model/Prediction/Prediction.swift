import Foundation

/// The outcome of `her2mri predict` for one study: what `prediction.json` holds and what the
/// reports and the HL7 message are made from.
///
/// Conventions (stated once): `probability` is the probability of HER2-positive status in
/// [0, 1] (never percent); the call is "positive" when probability ≥ `threshold`.
public struct Prediction: Codable, Sendable, Equatable {
    /// One nomogram factor: the predictor's name as the model names it, the value used for this
    /// patient and the nomogram points it scores.
    public struct Factor: Codable, Sendable, Equatable {
        public var name: String
        public var value: Double
        public var points: Double
        public init(name: String, value: Double, points: Double) {
            self.name = name
            self.value = value
            self.points = points
        }
    }

    public enum Call: String, Codable, Sendable {
        case positive
        case negative
    }

    public var studyId: String
    public var patientId: String
    public var probability: Double
    /// 95 % confidence interval of the probability (from the coefficients' covariance).
    public var ci95: [Double]
    public var call: Call
    public var threshold: Double
    public var factors: [Factor]
    public var totalPoints: Double
    /// The lesion's measures as numbers and categories (diameter, kinetics, oedema, …).
    public var measures: LesionMeasuresSummary
    /// The tumour mask was found automatically (no `tumor_mask` in the study).
    public var automaticMask: Bool
    /// The backbones ran on seeded weights, not pretrained ones.
    public var seededWeights: Bool
    /// The model was trained on synthetic studies: not for clinical use.
    public var demonstrationModel: Bool
    /// The lesion's key slices for the report (nil when the features came from the cache).
    /// Carried beside the prediction, never written into prediction.json.
    public var keyImages: KeyImages? = nil

    enum CodingKeys: String, CodingKey {
        case studyId, patientId, probability, ci95, call, threshold, factors, totalPoints, measures
        case automaticMask, seededWeights, demonstrationModel
    }

    public init(studyId: String, patientId: String, probability: Double, ci95: [Double], call: Call,
                threshold: Double, factors: [Factor], totalPoints: Double, measures: LesionMeasuresSummary,
                automaticMask: Bool, seededWeights: Bool, demonstrationModel: Bool) {
        self.studyId = studyId
        self.patientId = patientId
        self.probability = probability
        self.ci95 = ci95
        self.call = call
        self.threshold = threshold
        self.factors = factors
        self.totalPoints = totalPoints
        self.measures = measures
        self.automaticMask = automaticMask
        self.seededWeights = seededWeights
        self.demonstrationModel = demonstrationModel
    }
}

/// The lesion's measures as they appear in `prediction.json` and the report.
public struct LesionMeasuresSummary: Codable, Sendable, Equatable {
    /// Longest 3-D diameter, mm.
    public var diameterMm: Double
    /// Lesion volume, mm³.
    public var volumeMm3: Double
    /// Initial enhancement, fraction of the pre-contrast signal ((S_initial − S0) / S0).
    public var initialEnhancement: Double
    /// Delayed change, fraction of the initial signal.
    public var delayedChange: Double
    /// 1 persistent, 2 plateau, 3 washout.
    public var kineticType: Int
    /// Mean lesion signal per DCE phase (scanner units) and the phase times in minutes: the curve.
    public var kineticSignals: [Double]
    public var phaseMinutes: [Double]
    /// Peritumoral T2 signal ratio against fibroglandular reference; nil without T2.
    public var edemaRatio: Double?
    public var peritumoralEdema: Bool
    /// Names of the measures taken from study.json instead of the images ("tumourSizeMm", …).
    public var overridden: [String]

    public init(diameterMm: Double, volumeMm3: Double, initialEnhancement: Double, delayedChange: Double,
                kineticType: Int, kineticSignals: [Double], phaseMinutes: [Double], edemaRatio: Double?,
                peritumoralEdema: Bool, overridden: [String]) {
        self.diameterMm = diameterMm
        self.volumeMm3 = volumeMm3
        self.initialEnhancement = initialEnhancement
        self.delayedChange = delayedChange
        self.kineticType = kineticType
        self.kineticSignals = kineticSignals
        self.phaseMinutes = phaseMinutes
        self.edemaRatio = edemaRatio
        self.peritumoralEdema = peritumoralEdema
        self.overridden = overridden
    }
}
