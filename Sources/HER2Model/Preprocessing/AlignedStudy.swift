import Foundation
import Volumes

/// A study on one grid, ready for the lesion and feature stages: T1 and T2 registered to the
/// DCE and resampled onto its grid, the DCE phases motion-corrected to the pre-contrast phase.
///
/// Convention (stated once): the volumes keep their scanner intensities (kinetic percentages
/// need them); `normalisation` holds, per sequence, the affine map to the common scale
/// (z-score inside the breast mask by default) that the patch stage applies.
public struct AlignedStudy: Sendable {
    /// The study as loaded (identifiers, clinical facts, notes, original volumes).
    public let study: Study
    /// DCE phases on the DCE grid, phase 0 pre-contrast, motion-corrected (4-D).
    public let dce: Volume
    /// Pre-contrast T1 on the DCE grid.
    public let t1: Volume
    /// T2 on the DCE grid; nil when the study has none.
    public let t2: Volume?
    /// Breast tissue found automatically on the DCE grid (1 inside, 0 outside).
    public let breastMask: Volume
    /// Minutes after contrast of each DCE phase (phase 0 at 0).
    public let phaseMinutes: [Double]
    /// Per sequence ("T1", "T2", "DCE"): the map to the common intensity scale.
    public let normalisation: [String: IntensityNormalisation]
    /// What the preprocessing found and did, for provenance.json.
    public let provenance: PreprocessingProvenance

    public init(study: Study, dce: Volume, t1: Volume, t2: Volume?, breastMask: Volume,
                phaseMinutes: [Double], normalisation: [String: IntensityNormalisation],
                provenance: PreprocessingProvenance) {
        self.study = study
        self.dce = dce
        self.t1 = t1
        self.t2 = t2
        self.breastMask = breastMask
        self.phaseMinutes = phaseMinutes
        self.normalisation = normalisation
        self.provenance = provenance
    }
}

/// normalised = (value − offset) / scale.
public struct IntensityNormalisation: Codable, Sendable, Equatable {
    /// "zscore" or "percentile".
    public var method: String
    public var offset: Double
    public var scale: Double

    public init(method: String, offset: Double, scale: Double) {
        self.method = method
        self.offset = offset
        self.scale = scale
    }

    @inline(__always)
    public func apply(_ v: Float) -> Float { Float((Double(v) - offset) / scale) }
}

/// What preprocessing did, recorded in provenance.json.
public struct PreprocessingProvenance: Codable, Sendable, Equatable {
    /// One rigid registration: which image moved onto which, the transform found and the
    /// metric (Mattes mutual information, lower is better as ITK reports it) before and after.
    public struct Registration: Codable, Sendable, Equatable {
        public var moving: String
        public var fixed: String
        public var transform: RigidTransform
        public var metricBefore: Double
        public var metricAfter: Double
        public var iterations: Int

        public init(moving: String, fixed: String, transform: RigidTransform,
                    metricBefore: Double, metricAfter: Double, iterations: Int) {
            self.moving = moving
            self.fixed = fixed
            self.transform = transform
            self.metricBefore = metricBefore
            self.metricAfter = metricAfter
            self.iterations = iterations
        }
    }

    public var registrations: [Registration]
    public var normalisation: [String: IntensityNormalisation]
    /// Seconds spent, by step name.
    public var seconds: [String: Double]
    /// Automatic choices and fallbacks (where the phase times came from, a mask without chest
    /// wall, a T1 that is the DCE's first phase), for the report.
    public var notes: [String]

    public init(registrations: [Registration], normalisation: [String: IntensityNormalisation],
                seconds: [String: Double], notes: [String] = []) {
        self.registrations = registrations
        self.normalisation = normalisation
        self.seconds = seconds
        self.notes = notes
    }

    enum CodingKeys: String, CodingKey { case registrations, normalisation, seconds, notes }

    /// Reads provenance written before `notes` existed as well.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        registrations = try c.decode([Registration].self, forKey: .registrations)
        normalisation = try c.decode([String: IntensityNormalisation].self, forKey: .normalisation)
        seconds = try c.decode([String: Double].self, forKey: .seconds)
        notes = try c.decodeIfPresent([String].self, forKey: .notes) ?? []
    }
}
