import Foundation
import Support
import Volumes

/// Turns a `BreastAnatomy` into scanner images: tissue signals per sequence, DCE enhancement,
/// patient motion, the centre's voxel grid, bias field, intensity scale and Rician noise.
/// Samples are rounded to integers in 0...32767, as a scanner stores them, so the NIfTI and the
/// DICOM copies of a study hold identical values.
struct SyntheticRenderer: Sendable {
    /// The acquisitions of a study.
    enum Sequence: Sendable, Hashable {
        case t1
        case t2
        case dce(phase: Int)
    }

    /// Field of view (mm) shared by all sequences, and its centre (world LPS).
    static let fieldOfView = SIMD3<Double>(112, 112, 64)
    static let fieldCentre = SIMD3<Double>(0, BreastAnatomy.chestWallY - 22, 0)
    /// The DCE grid of a clinical-size study (`SyntheticCohort.ImageSize.clinical`).
    static let clinicalDCE = SIMD3<Int>(256, 256, 80)
    static let clinicalDCESpacing = SIMD3<Double>(0.7, 0.7, 2.0)

    let anatomy: BreastAnatomy
    var patient: SyntheticPatient { anatomy.patient }
    let imageSize: SyntheticCohort.ImageSize
    private let biasNoise: ValueNoise

    init(patient: SyntheticPatient, imageSize: SyntheticCohort.ImageSize = .standard) {
        anatomy = BreastAnatomy(patient: patient)
        self.imageSize = imageSize
        biasNoise = ValueNoise(seed: patient.seed ^ 0xB1A5)
    }

    /// The voxel grid of a sequence: axial slices, i → left, j → posterior, k → superior.
    /// Clinical size: the DCE is `clinicalDCE` voxels of `clinicalDCESpacing` for every centre,
    /// T1 and T2 keep the centre's voxel-size ratios to its DCE, over a field of view grown to match.
    func grid(_ sequence: Sequence) -> (size: SIMD3<Int>, geometry: Geometry) {
        var spacing: SIMD3<Double>
        switch sequence {
        case .t1: spacing = patient.centre.t1Spacing
        case .t2: spacing = patient.centre.t2Spacing
        case .dce: spacing = patient.centre.dceSpacing
        }
        var fov = SyntheticRenderer.fieldOfView
        if imageSize == .clinical {
            spacing *= SyntheticRenderer.clinicalDCESpacing / patient.centre.dceSpacing
            fov = SIMD3(Double(SyntheticRenderer.clinicalDCE.x), Double(SyntheticRenderer.clinicalDCE.y),
                        Double(SyntheticRenderer.clinicalDCE.z)) * SyntheticRenderer.clinicalDCESpacing
        }
        let size = SIMD3(Int((fov.x / spacing.x).rounded()), Int((fov.y / spacing.y).rounded()),
                         Int((fov.z / spacing.z).rounded()))
        let extent = SIMD3(Double(size.x - 1), Double(size.y - 1), Double(size.z - 1)) * spacing
        let origin = SyntheticRenderer.fieldCentre - extent / 2
        return (size, Geometry(spacing: spacing, origin: origin))
    }

    /// Where the anatomy sits for a sequence: the rigid motion from the DCE phase-0 frame.
    func motion(_ sequence: Sequence) -> RigidTransform {
        switch sequence {
        case .t1: return patient.t1Offset
        case .t2: return patient.t2Offset
        case .dce(let p): return patient.dceMotion[p]
        }
    }

    /// Noise-free tissue signal (fat on T1 = 1) of a membership mix.
    func signal(_ m: BreastAnatomy.Mix, _ sequence: Sequence) -> Double {
        switch sequence {
        case .t1 where patient.centre.t1FatSuppressed: // a fat-suppressed pre-contrast T1 (longer TR than the DCE)
            return 1.1 * signal(m, .dce(phase: 0))
        case .t1:
            return m.fat * 1.0 + m.fgt * 0.42 + m.skin * 0.55 + m.muscle * 0.38 + m.chest * 0.15
                + m.tumour * 0.40 + m.necrosis * 0.30 + m.edema * 0.38
        case .t2: // fat-suppressed T2: fluid and oedema bright
            return m.fat * 0.18 + m.fgt * 0.38 + m.skin * 0.45 + m.muscle * 0.22 + m.chest * 0.15
                + m.tumour * 0.50 + m.necrosis * 1.0 + m.edema * 0.92
        case .dce(let phase): // fat-suppressed T1 gradient echo before and after contrast
            let t = patient.phaseMinutes(phase)
            let wash = { (rate: Double) in t > 0 ? 1 - exp(-rate * t) : 0 }
            let tumourE = patient.tumourEnhancement(minutes: t) * (1 + 0.9 * patient.heterogeneity * m.texture)
            return m.fat * 0.12 * (1 + 0.05 * wash(1))
                + m.fgt * 0.30 * (1 + 0.30 * wash(0.4))
                + m.skin * 0.35 * (1 + 0.35 * wash(1))
                + m.muscle * 0.33 * (1 + 0.40 * wash(1.2))
                + m.chest * 0.10 * (1 + 0.2 * wash(1))
                + m.tumour * 0.32 * (1 + tumourE)
                + m.necrosis * 0.25
                + m.edema * 0.30 * (1 + 0.15 * wash(0.5))
        }
    }

    /// Multiplicative receive-coil bias at a world point (fixed to the scanner, not the patient).
    func bias(_ p: SIMD3<Double>) -> Double {
        let amp = patient.centre.biasAmplitude
        let gradient = (p.y - SyntheticRenderer.fieldCentre.y) / 56
        return max(0.3, 1 + amp / 2 * (0.6 * biasNoise.value(p, scale: 90) + 0.4 * gradient))
    }

    /// Renders one acquisition as the scanner would store it.
    func render(_ sequence: Sequence) -> Volume {
        let (size, geometry) = grid(sequence)
        return render(sequence, size: size, geometry: geometry)
    }

    /// Renders a sequence's contrast on any grid (a localizer's planes, say).
    func render(_ sequence: Sequence, size: SIMD3<Int>, geometry: Geometry) -> Volume {
        let motion = motion(sequence)
        let centre = patient.centre
        let scale = centre.intensityScale * patient.intensityFactor
        let sigma = centre.noise * scale
        let stream: UInt64
        switch sequence {
        case .t1: stream = 1
        case .t2: stream = 2
        case .dce(let p): stream = 10 + UInt64(p)
        }
        var noise = SplitMix64(seed: patient.seed, stream: stream)
        return sample(size: size, geometry: geometry) { p in
            let s = signal(anatomy.mix(at: motion.applyInverse(p)), sequence) * bias(p) * scale
            let re = s + sigma * noise.normal(), im = sigma * noise.normal()
            return Float(min(32767, (re * re + im * im).squareRoot().rounded()))
        }
    }

    /// The tumour mask on the DCE grid in the phase-0 frame: exact (`jitter` 0) or as a reader
    /// would outline it (boundary moved by smooth noise of amplitude `jitter` mm).
    func tumourMask(jitter: Double = 0, reader: UInt64 = 0) -> Volume {
        let (size, geometry) = grid(.dce(phase: 0))
        return sample(size: size, geometry: geometry) { p in
            anatomy.tumourSignedDistance(p, jitter: jitter, jitterSeed: patient.seed ^ (0x4EAD + reader)) <= 0 ? 1 : 0
        }
    }

    /// A volume whose voxel (i, j, k) holds `value(world position)`, visited i fastest, so a
    /// value drawing from a sequential generator stays deterministic.
    private func sample(size: SIMD3<Int>, geometry: Geometry, _ value: (SIMD3<Double>) -> Float) -> Volume {
        var samples = [Float](repeating: 0, count: size.x * size.y * size.z)
        var n = 0
        for k in 0..<size.z {
            for j in 0..<size.y {
                for i in 0..<size.x {
                    samples[n] = value(geometry.world(ofIndex: SIMD3(Double(i), Double(j), Double(k))))
                    n += 1
                }
            }
        }
        // Sizes and geometry come from the centre profile or the caller's valid grid.
        return try! Volume(size: size, geometry: geometry, samples: samples)
    }
}
