import Volumes

/// How `Preprocessor` turns a `Study` into an `AlignedStudy`: plain values with defaults and no
/// logic (configure, then run). Saved in model.json, so a model is applied with the settings it
/// was trained with.
public struct PreprocessingSettings: Sendable, Equatable, Codable {
    /// How intensities are put on one scale across centres.
    public enum Normalisation: String, Sendable, Equatable, Codable {
        /// (v − mean) / sd inside the breast mask.
        case zscore
        /// (v − P_low) / (P_high − P_low) inside the breast mask (robust to a few bright voxels).
        case percentile
    }

    /// T1 → DCE and T2 → DCE registration (Mattes MI, shrink 4/2/1, σ 2/1/0 mm, 10 % samples).
    public var registration = RigidRegistrationSettings()
    /// DCE motion correction, each post-contrast phase to phase 0 (same metric and pyramid).
    public var motionCorrection = RigidRegistrationSettings()
    /// Switch the DCE motion correction off (phases used as acquired).
    public var correctMotion = true
    /// Sample the registration metric only inside the body (phase 0's foreground, dilated):
    /// air carries no information and is about half of a breast MRI volume.
    public var sampleInsideBody = true
    /// Margin (mm) added around the body for the registration samples.
    public var bodyMarginMm = 5.0

    /// Breast mask: Gaussian σ (mm) of the image it is found on (the mean of the DCE phases).
    public var maskSmoothingSigmaMm = 1.5
    /// Breast mask: closing radius (mm) that bridges dark fat inside the body.
    public var maskClosingRadiusMm = 3.0
    /// Breast mask: a coronal plane whose area is at least this fraction of the field of view
    /// in body is taken as the chest wall; the mask keeps what lies in front of the first one.
    public var chestPlaneFraction = 0.97
    /// Breast mask: skin (mm) peeled off the body surface.
    public var skinMarginMm = 2.0

    public var normalisation = Normalisation.zscore
    /// Percentiles of the `.percentile` normalisation.
    public var lowerPercentile = 1.0
    public var upperPercentile = 99.0

    /// Seconds between DCE phases when the files do not say (see `DCEPhaseTimes`).
    public var assumedPhaseIntervalSeconds = 60.0

    public init() {}
}
