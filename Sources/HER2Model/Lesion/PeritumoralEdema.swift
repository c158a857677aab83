import Foundation
import Volumes

/// Peritumoral oedema on fat-suppressed T2: fluid-bright signal in a shell around the lesion,
/// compared with the patient's own fibroglandular tissue (FGT) nearby.
///
/// ratio = mean T2 in the shell (`innerMm` … `outerMm` outside the outline) ÷ median T2 of the
/// FGT in a reference ring (`referenceInnerMm` … `referenceOuterMm`, inside the breast).
/// FGT is told from fat by Otsu's threshold (Otsu 1979) on T2 within the ring (FGT is brighter
/// than suppressed fat). Oedema is called present when ratio ≥ `threshold`.
///
/// Why these choices: the inner 1 mm is skipped so the tumour's own partial volume (tumour is
/// T2-brighter than FGT) does not count; the reference ring is local so a coil's bias field
/// cancels in the ratio; radiologists call oedema when the peritumoral signal is clearly above
/// that of glandular tissue (Uematsu et al., Radiology 2009; Cheon et al., Radiology 2017
/// describe peritumoral T2 hyperintensity relative to parenchyma). The threshold 1.25 was set
/// before looking at measured ratios, between what a shell of fat and FGT gives (≤ 1) and
/// what oedema does (fluid-bright, ≥ 1.5 of FGT); it is checked against the generator's truth
/// on other cohorts (seed 2026 in CI, seed 101 by `tools/lesion_measures.sh`).
public struct PeritumoralEdema: Sendable, Equatable {
    public struct Settings: Sendable, Equatable {
        public var innerMm = 1.0
        public var outerMm = 5.0
        public var referenceInnerMm = 12.0
        public var referenceOuterMm = 35.0
        public var threshold = 1.25
        public init() {}
    }

    /// Mean shell T2 over the reference FGT median.
    public let ratio: Double
    /// ratio ≥ threshold.
    public let present: Bool
    public let shellMean: Double
    public let referenceMedian: Double
    /// Voxels in the shell and in the FGT reference.
    public let shellVoxels: Int
    public let referenceVoxels: Int

    /// Reads oedema around `lesion` on a T2 that lies on the DCE grid.
    static func measure(lesion: Volume, t2: Volume, aligned: AlignedStudy, settings: Settings) throws -> PeritumoralEdema {
        let name = aligned.study.folder.lastPathComponent
        guard t2.size == lesion.size else {
            throw HER2ModelError.invalidStudy(path: aligned.study.folder.path, reason:
                "study \(name): T2 is not on the DCE grid (\(t2.size) vs \(lesion.size)); it must be registered and resampled first")
        }
        let size = lesion.size, spacing = lesion.geometry.spacing
        let d2 = LesionMorphology.squaredDistance(to: lesion.booleanMask, size: size, spacing: spacing)
        let breast = aligned.breastMask.booleanMask
        let (i2, o2) = (settings.innerMm * settings.innerMm, settings.outerMm * settings.outerMm)
        let (r2a, r2b) = (settings.referenceInnerMm * settings.referenceInnerMm, settings.referenceOuterMm * settings.referenceOuterMm)
        var shell = 0.0, shellCount = 0
        var ring: [Float] = []
        for v in 0..<t2.voxelsPerPhase {
            let d = d2[v]
            if d > i2 && d <= o2 {
                shell += Double(t2.samples[v])
                shellCount += 1
            } else if d > r2a && d <= r2b && breast[v] {
                ring.append(t2.samples[v])
            }
        }
        guard shellCount > 0, ring.count >= 20 else {
            throw HER2ModelError.invalidStudy(path: aligned.study.folder.path, reason:
                "study \(name): too little breast tissue around the lesion to read oedema (\(ring.count) reference voxels)")
        }
        let cut = OtsuThreshold.threshold(ring)
        var fgt = ring.filter { $0 > cut }
        if fgt.count < 10 { fgt = ring }
        fgt.sort()
        let reference = Double(fgt[fgt.count / 2])
        let mean = shell / Double(shellCount)
        let ratio = reference > 0 ? mean / reference : .infinity
        return PeritumoralEdema(ratio: ratio, present: ratio >= settings.threshold, shellMean: mean,
                                referenceMedian: reference, shellVoxels: shellCount, referenceVoxels: fgt.count)
    }
}
