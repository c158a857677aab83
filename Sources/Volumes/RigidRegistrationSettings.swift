/// How `RigidRegistration` runs: plain values with defaults, no logic (configure, then fit).
///
/// The defaults are the usual ITK / SimpleITK rigid set-up for multi-modal MRI: Mattes mutual
/// information with 50 bins and 10 % random sampling, a three-level pyramid (shrink 4/2/1,
/// Gaussian σ 2/1/0 mm), regular-step gradient descent from a 1 mm step down to 10⁻⁴ mm with
/// parameter scales from physical shift, at most 100 iterations per level, and (not in ITK) a
/// level stops when 10 iterations improved the metric by less than 10⁻⁴ of its value, and the
/// step doubles after 2 iterations without a turn back.
public struct RigidRegistrationSettings: Sendable, Equatable, Codable {
    /// Joint-histogram bins per image (Mattes et al. 2003 use 50).
    public var histogramBins: Int = 50
    /// Fraction of the fixed image's voxels (inside the fixed mask, when one is given) used as
    /// metric samples at each level, drawn once per level; 1 = every voxel.
    public var samplingFraction: Double = 0.1
    /// Seed of the sample draw (same seed, same samples, same result).
    public var samplingSeed: UInt64 = 0x5EED
    /// Shrink factor of each pyramid level, coarse to fine.
    public var shrinkFactors: [Int] = [4, 2, 1]
    /// Gaussian σ (mm) of each pyramid level, coarse to fine.
    public var smoothingSigmasMm: [Double] = [2, 1, 0]
    /// First step length of each level, in mm of physical shift (ITK's learning rate).
    public var learningRate: Double = 1
    /// The optimisation of a level stops when the step falls below this (mm).
    public var minimumStepLength: Double = 1e-4
    /// The step is multiplied by this whenever the gradient direction turns back.
    public var relaxationFactor: Double = 0.5
    /// The optimisation of a level stops when the scaled gradient is smaller than this.
    public var gradientMagnitudeTolerance: Double = 1e-4
    /// Iterations per level, at most.
    public var maximumIterations: Int = 100
    /// The optimisation of a level stops when the best value improved by less than
    /// `convergenceTolerance` × |value| over the last `convergenceWindow` iterations (0: never).
    /// Not in ITK's regular-step optimiser: there a level whose step has shrunk but not below the
    /// minimum creeps on with sub-micrometre steps until the iterations run out (measured: most
    /// of the 100 iterations of the coarse levels, for improvements of 10⁻⁷ per iteration). With
    /// 10 iterations and 10⁻⁴, the four clinical-size synthetic centres end as accurate (≤ 0.25°,
    /// ≤ 0.3 mm for T1, T2 and DCE phases) in 15–25 instead of up to 100 iterations per level.
    public var convergenceWindow: Int = 10
    public var convergenceTolerance: Double = 1e-4
    /// The step doubles (up to `learningRate`) after this many successive iterations in which
    /// the gradient did not turn back (0: never, ITK's rule). Not in ITK: without it a descent
    /// that zig-zags across a narrow valley keeps the small step of its first turns while it
    /// drifts along the valley (`RegularStepGradientDescent` gives the measurements).
    public var stepGrowthAfter: Int = 2
    /// Registration fails when fewer than this fraction of the samples map inside the moving
    /// image (the images do not overlap enough to be compared).
    public var minimumOverlapFraction: Double = 0.1
    /// Worker threads for the metric (0: one per active core).
    public var threads: Int = 0

    public init() {}

    private enum CodingKeys: String, CodingKey {
        case histogramBins, samplingFraction, samplingSeed, shrinkFactors, smoothingSigmasMm, learningRate,
             minimumStepLength, relaxationFactor, gradientMagnitudeTolerance, maximumIterations,
             convergenceWindow, convergenceTolerance, stepGrowthAfter, minimumOverlapFraction, threads
    }

    /// Reads settings saved by any version: a key it does not hold keeps its default. (A model
    /// records its settings as text; `predict` compares that text, so a model trained with other
    /// settings is refused rather than scored with these.)
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func read<T: Decodable>(_ key: CodingKeys, _ value: inout T) throws {
            if let v = try c.decodeIfPresent(T.self, forKey: key) { value = v }
        }
        try read(.histogramBins, &histogramBins); try read(.samplingFraction, &samplingFraction)
        try read(.samplingSeed, &samplingSeed); try read(.shrinkFactors, &shrinkFactors)
        try read(.smoothingSigmasMm, &smoothingSigmasMm); try read(.learningRate, &learningRate)
        try read(.minimumStepLength, &minimumStepLength); try read(.relaxationFactor, &relaxationFactor)
        try read(.gradientMagnitudeTolerance, &gradientMagnitudeTolerance)
        try read(.maximumIterations, &maximumIterations); try read(.convergenceWindow, &convergenceWindow)
        try read(.convergenceTolerance, &convergenceTolerance); try read(.stepGrowthAfter, &stepGrowthAfter)
        try read(.minimumOverlapFraction, &minimumOverlapFraction); try read(.threads, &threads)
    }
}
