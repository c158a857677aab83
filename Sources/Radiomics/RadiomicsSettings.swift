/// The extraction settings, pyradiomics' `setting:` block as plain values with pyradiomics'
/// defaults (`RadiomicsFeatureExtractor._getDefaultSettings`). No logic here: the extractor
/// validates them when it runs. A YAML parameter file fills them through `ParameterFile`.
public struct RadiomicsSettings: Equatable, Sendable {
    /// Fixed bin width for discretisation (pyradiomics `binWidth`, default 25).
    public var binWidth: Double = 25
    /// Fixed bin count; when set it wins over `binWidth` (pyradiomics `binCount`).
    public var binCount: Int? = nil
    /// Which definition of the bins to use; pyradiomics' is the default.
    public var discretisation: DiscretisationDefinition = .pyradiomics
    /// Resample to this spacing (mm, i j k) before extraction; 0 keeps that axis' spacing.
    public var resampledPixelSpacing: [Double]? = nil
    /// Interpolator for the image when resampling (the mask always uses nearest neighbour).
    public var interpolator: Interpolator = .bSpline
    /// Voxels of padding (at the new spacing) around the region when resampling.
    public var padDistance: Int = 5
    /// z-score the whole image before resampling (pyradiomics `normalize`).
    public var normalize: Bool = false
    /// Multiply the normalised image by this (pyradiomics `normalizeScale`).
    public var normalizeScale: Double = 1
    /// After normalisation, clip at ± this many standard deviations (pyradiomics `removeOutliers`).
    public var removeOutliers: Double? = nil
    /// The mask value that marks the region.
    public var label: Int = 1
    /// The region must extend over more than one voxel in at least this many axes.
    public var minimumROIDimensions: Int = 2
    /// The region must have more than this many voxels, when set.
    public var minimumROISize: Int? = nil
    /// Added to intensities before Energy, Total Energy and RMS (pyradiomics `voxelArrayShift`).
    public var voxelArrayShift: Double = 0
    /// GLDM: neighbours within this grey-level difference are dependent (pyradiomics `gldm_a`).
    public var gldmAlpha: Int = 0
    /// GLCM counted in both directions (pyradiomics `symmetricalGLCM`, default true).
    public var symmetricalGLCM: Bool = true
    /// Feature classes to compute, in order, each with its feature names (nil: the class' defaults).
    public var featureClasses: [FeatureClassSelection] = FeatureClass.allCases.map { FeatureClassSelection(featureClass: $0) }

    public init() {}
}

/// One `featureClass:` entry: a class and, optionally, the features wanted from it.
public struct FeatureClassSelection: Equatable, Sendable {
    public var featureClass: FeatureClass
    /// nil: every non-deprecated feature of the class (pyradiomics' behaviour for an empty entry).
    public var features: [String]?

    public init(featureClass: FeatureClass, features: [String]? = nil) {
        self.featureClass = featureClass
        self.features = features
    }
}

/// pyradiomics' default feature classes, named as in its parameter files and feature names.
public enum FeatureClass: String, CaseIterable, Sendable {
    case shape, firstorder, glcm, glrlm, glszm, gldm, ngtdm
}

/// The image interpolators pyradiomics accepts (SimpleITK's names in parameter files).
public enum Interpolator: String, CaseIterable, Sendable {
    case nearestNeighbor = "sitkNearestNeighbor"
    case linear = "sitkLinear"
    case bSpline = "sitkBSpline"
}

/// Which discretisation formula to use.
public enum DiscretisationDefinition: String, Sendable {
    /// pyradiomics: bin edges from the minimum rounded down to a multiple of the bin width
    /// (fixed width), or NumPy's histogram edges (fixed count).
    case pyradiomics
    /// IBSI 1 (Zwanenburg et al. 2020, section 2.7): fixed bin size from the region's minimum,
    /// fixed bin number over the region's range.
    case ibsi
}
