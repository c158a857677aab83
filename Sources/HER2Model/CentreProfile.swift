/// How one of the four synthetic centres acquires breast MRI: scanner vendor, intensity scale,
/// noise, bias field and voxel sizes. The differences are what normalisation and resampling must
/// undo; the values are typical of 1.5 T / 3 T breast protocols, not of any real site.
public struct CentreProfile: Sendable, Equatable {
    public let name: String
    public let manufacturer: String
    public let fieldStrength: Double
    /// Scanner units per unit of tissue signal (global intensity scale).
    public let intensityScale: Double
    /// Rician noise σ relative to fat signal on T1.
    public let noise: Double
    /// Peak-to-peak amplitude of the multiplicative bias field (0.2 = ±10 %).
    public let biasAmplitude: Double
    /// DCE voxel size (mm): in-plane column, row, slice.
    public let dceSpacing: SIMD3<Double>
    /// T1 (pre-contrast, non-fat-suppressed) voxel size.
    public let t1Spacing: SIMD3<Double>
    /// T2 voxel size (thicker slices, as T2 protocols usually are).
    public let t2Spacing: SIMD3<Double>
    /// Repetition / echo time (ms) of T1, T2 and DCE.
    public let t1Timing: (tr: Double, te: Double)
    public let t2Timing: (tr: Double, te: Double)
    public let dceTiming: (tr: Double, te: Double)
    /// Seconds between DCE phases.
    public let phaseInterval: Double

    public static func == (a: CentreProfile, b: CentreProfile) -> Bool { a.name == b.name }

    /// The four centres, in a fixed order (centre index = position).
    public static let all: [CentreProfile] = [
        CentreProfile(name: "A", manufacturer: "SIEMENS", fieldStrength: 3.0, intensityScale: 900,
                      noise: 0.025, biasAmplitude: 0.25,
                      dceSpacing: SIMD3(0.9, 0.9, 2.0), t1Spacing: SIMD3(0.9, 0.9, 2.0), t2Spacing: SIMD3(0.8, 0.8, 3.5),
                      t1Timing: (5.2, 2.4), t2Timing: (4200, 92), dceTiming: (4.5, 1.8), phaseInterval: 62),
        CentreProfile(name: "B", manufacturer: "GE MEDICAL SYSTEMS", fieldStrength: 1.5, intensityScale: 2600,
                      noise: 0.04, biasAmplitude: 0.15,
                      dceSpacing: SIMD3(1.1, 1.1, 1.6), t1Spacing: SIMD3(1.1, 1.1, 1.6), t2Spacing: SIMD3(1.0, 1.0, 4.0),
                      t1Timing: (6.0, 2.1), t2Timing: (5500, 102), dceTiming: (5.1, 2.3), phaseInterval: 90),
        CentreProfile(name: "C", manufacturer: "Philips Medical Systems", fieldStrength: 3.0, intensityScale: 420,
                      noise: 0.03, biasAmplitude: 0.30,
                      dceSpacing: SIMD3(0.8, 0.8, 2.5), t1Spacing: SIMD3(1.0, 1.0, 2.5), t2Spacing: SIMD3(0.9, 0.9, 3.0),
                      t1Timing: (6.6, 3.3), t2Timing: (3900, 110), dceTiming: (4.3, 2.0), phaseInterval: 75),
        CentreProfile(name: "D", manufacturer: "SIEMENS", fieldStrength: 1.5, intensityScale: 1600,
                      noise: 0.05, biasAmplitude: 0.10,
                      dceSpacing: SIMD3(1.25, 1.25, 1.5), t1Spacing: SIMD3(1.25, 1.25, 1.5), t2Spacing: SIMD3(1.1, 1.1, 4.0),
                      t1Timing: (8.6, 4.7), t2Timing: (4800, 85), dceTiming: (6.2, 2.6), phaseInterval: 60),
    ]
}
