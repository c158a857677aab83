/// What a rigid registration found, and how.
public struct RegistrationResult: Sendable, Equatable, Codable {
    /// The transform from fixed to moving world (LPS mm): moving(T(x)) ≈ fixed(x). Resample the
    /// moving image with it onto the fixed grid (`Volume.resampled(…, transform:)`).
    public var transform: RigidTransform
    /// Mattes mutual information as ITK reports it (−MI, lower is better) at the start and at
    /// the end, both on the finest level's samples.
    public var metricBefore: Double
    public var metricAfter: Double
    /// Optimiser iterations per level, coarse to fine.
    public var iterations: [Int]
    /// Why each level stopped ("minimum step", "gradient tolerance", "maximum iterations").
    public var stopReasons: [String]
    /// Samples mapping inside the moving image at the end, as a fraction of the finest level's.
    public var overlapFraction: Double
    /// Wall-clock seconds of the whole registration (pyramid included).
    public var seconds: Double

    public init(transform: RigidTransform, metricBefore: Double, metricAfter: Double, iterations: [Int],
                stopReasons: [String], overlapFraction: Double, seconds: Double) {
        self.transform = transform
        self.metricBefore = metricBefore
        self.metricAfter = metricAfter
        self.iterations = iterations
        self.stopReasons = stopReasons
        self.overlapFraction = overlapFraction
        self.seconds = seconds
    }
}
