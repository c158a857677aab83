import Foundation
import Volumes

/// What a radiologist measures on the lesion: size, the kinetic curve and peritumoral oedema,
/// each as a number and as the category used in a report; `study.json`'s `clinical` overrides
/// win and are listed in `overridden`.
///
/// - Size: the longest 3-D diameter of the mask (maximum Feret diameter, `Volume.maskLongestDiameter`)
///   and its volume.
/// - Kinetics (Kuhl et al., Radiology 1999; ACR BI-RADS MRI lexicon): the mean signal per DCE
///   phase over the lesion's *most enhancing half* (voxels at least 1 mm inside the outline
///   whose early enhancement is at or above the lesion's median), as a radiologist places the
///   region of interest on the brightest part of the lesion and not on necrosis or its edge;
///   read with `KineticCurve` (initial = highest phase within 2.5 min, delayed = last, ±10 %).
/// - Oedema: `PeritumoralEdema`.
public struct LesionMeasures: Sendable {
    public let diameterMm: Double
    public let volumeMm3: Double
    public let curve: KineticCurve
    /// The oedema reading; nil without T2.
    public let edema: PeritumoralEdema?
    /// The summary with study.json's overrides applied.
    public let summary: LesionMeasuresSummary

    /// Measures `lesion` on `aligned`.
    public static func measure(_ lesion: Lesion, in aligned: AlignedStudy, edemaSettings: PeritumoralEdema.Settings = .init()) throws -> LesionMeasures {
        let mask = lesion.mask
        let dce = aligned.dce
        let name = aligned.study.folder.lastPathComponent
        guard aligned.phaseMinutes.count == dce.phases, dce.phases >= 3 else {
            throw HER2ModelError.invalidStudy(path: aligned.study.folder.path, reason:
                "study \(name): the DCE has \(dce.phases) phases with \(aligned.phaseMinutes.count) phase times; the kinetic curve needs ≥ 3 phases with their times")
        }
        let diameter = mask.maskLongestDiameter
        let volume = mask.maskVolumeMm3
        let curve = LesionMeasures.kineticCurve(mask: mask, dce: dce, minutes: aligned.phaseMinutes)
        let edema = try aligned.t2.map { try PeritumoralEdema.measure(lesion: mask, t2: $0, aligned: aligned, settings: edemaSettings) }

        let clinical = aligned.study.manifest.clinical
        var overridden: [String] = []
        var summary = LesionMeasuresSummary(
            diameterMm: diameter, volumeMm3: volume, initialEnhancement: curve.initialEnhancement,
            delayedChange: curve.delayedChange, kineticType: curve.type, kineticSignals: curve.signals,
            phaseMinutes: curve.minutes, edemaRatio: edema?.ratio, peritumoralEdema: edema?.present ?? false,
            overridden: [])
        if let size = clinical.tumourSizeMm {
            summary.diameterMm = size
            overridden.append("tumourSizeMm")
        }
        if let type = clinical.kineticType {
            summary.kineticType = type
            overridden.append("kineticType")
        }
        if let present = clinical.peritumoralEdema {
            summary.peritumoralEdema = present
            overridden.append("peritumoralEdema")
        } else if edema == nil {
            throw HER2ModelError.invalidStudy(path: aligned.study.folder.path, reason:
                "study \(name): no T2 to read peritumoral oedema from; potential fix: give clinical.peritumoralEdema in study.json")
        }
        summary.overridden = overridden
        return LesionMeasures(diameterMm: diameter, volumeMm3: volume, curve: curve, edema: edema, summary: summary)
    }

    /// The kinetic curve over the most enhancing half of the lesion's interior (falls back to
    /// the whole mask for lesions too small to erode).
    static func kineticCurve(mask: Volume, dce: Volume, minutes: [Double], earlyPhase: Int = 1) -> KineticCurve {
        let n = dce.voxelsPerPhase
        let whole = mask.booleanMask
        var roi = LesionMorphology.erode(whole, size: mask.size, spacing: mask.geometry.spacing, radius: 1.0)
        if roi.filter({ $0 }).count < 8 { roi = whole }
        var early: [(Float, Int)] = []
        for v in 0..<n where roi[v] { early.append((dce.samples[earlyPhase * n + v] - dce.samples[v], v)) }
        early.sort { $0.0 > $1.0 }
        let chosen = early.prefix(max(1, (early.count + 1) / 2)).map(\.1)
        var signals = [Double](repeating: 0, count: dce.phases)
        for p in 0..<dce.phases {
            var s = 0.0
            for v in chosen { s += Double(dce.samples[p * n + v]) }
            signals[p] = s / Double(chosen.count)
        }
        return KineticCurve(signals: signals, minutes: minutes)
    }
}
