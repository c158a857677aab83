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
    /// How the centre's scanner writes its DICOM series (see `SyntheticDICOM`).
    public let dicomStyle: DICOMStyle
    /// True when the centre's T1 is a fat-suppressed pre-contrast scan on the DCE grid (then
    /// only its TR tells it from a DCE phase).
    public let t1FatSuppressed: Bool

    /// Vendor conventions of the DICOM headers (after the vendors' breast DCE protocols).
    public enum DICOMStyle: String, Sendable {
        /// Siemens: one series per DCE phase, Sequence Name "*fl3d1", subtraction series beside.
        case siemensSeriesPerPhase
        /// GE: one multiphase series (Temporal Position Identifier), pulse sequence in (0019,109C).
        case geMultiphase
        /// Philips: one "DYN" series with Number of Temporal Positions.
        case philipsDynamic
        /// Siemens, older: all phases in one series told apart only by Acquisition Time.
        case siemensSingleSeries
    }

    public static func == (a: CentreProfile, b: CentreProfile) -> Bool { a.name == b.name }

    /// The four centres, in a fixed order (centre index = position).
    public static let all: [CentreProfile] = [
        CentreProfile(name: "A", manufacturer: "SIEMENS", fieldStrength: 3.0, intensityScale: 900,
                      noise: 0.025, biasAmplitude: 0.25,
                      dceSpacing: SIMD3(0.9, 0.9, 2.0), t1Spacing: SIMD3(0.9, 0.9, 2.0), t2Spacing: SIMD3(0.8, 0.8, 3.5),
                      t1Timing: (5.2, 2.4), t2Timing: (4200, 92), dceTiming: (4.5, 1.8), phaseInterval: 62,
                      dicomStyle: .siemensSeriesPerPhase, t1FatSuppressed: false),
        CentreProfile(name: "B", manufacturer: "GE MEDICAL SYSTEMS", fieldStrength: 1.5, intensityScale: 2600,
                      noise: 0.04, biasAmplitude: 0.15,
                      dceSpacing: SIMD3(1.1, 1.1, 1.6), t1Spacing: SIMD3(1.1, 1.1, 1.6), t2Spacing: SIMD3(1.0, 1.0, 4.0),
                      t1Timing: (6.0, 2.1), t2Timing: (5500, 102), dceTiming: (5.1, 2.3), phaseInterval: 90,
                      dicomStyle: .geMultiphase, t1FatSuppressed: false),
        CentreProfile(name: "C", manufacturer: "Philips Medical Systems", fieldStrength: 3.0, intensityScale: 420,
                      noise: 0.03, biasAmplitude: 0.30,
                      dceSpacing: SIMD3(0.8, 0.8, 2.5), t1Spacing: SIMD3(1.0, 1.0, 2.5), t2Spacing: SIMD3(0.9, 0.9, 3.0),
                      t1Timing: (6.6, 3.3), t2Timing: (3900, 110), dceTiming: (4.3, 2.0), phaseInterval: 75,
                      dicomStyle: .philipsDynamic, t1FatSuppressed: false),
        CentreProfile(name: "D", manufacturer: "SIEMENS", fieldStrength: 1.5, intensityScale: 1600,
                      noise: 0.05, biasAmplitude: 0.10,
                      dceSpacing: SIMD3(1.25, 1.25, 1.5), t1Spacing: SIMD3(1.25, 1.25, 1.5), t2Spacing: SIMD3(1.1, 1.1, 4.0),
                      t1Timing: (8.6, 4.7), t2Timing: (4800, 85), dceTiming: (6.2, 2.6), phaseInterval: 60,
                      dicomStyle: .siemensSingleSeries, t1FatSuppressed: true),
    ]
}
