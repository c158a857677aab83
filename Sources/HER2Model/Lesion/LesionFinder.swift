import Foundation
import Volumes

/// Finds the tumour when no reader outlined it: the enhancing connected component around the
/// strongest early enhancement inside the breast.
///
/// Method (settings below are plain values):
/// 1. early subtraction S = DCE phase `earlyPhase` − phase 0, smoothed by a Gaussian of
///    `smoothingMm` (the noise of two acquisitions adds; smoothing keeps single noisy voxels
///    from winning);
/// 2. seed = the maximum of S inside the breast mask eroded by `skinMarginMm` (skin enhances);
/// 3. threshold T = midpoint between the lesion's level (median S inside the current region)
///    and its surroundings' (median S in a `backgroundShellMm` shell) — the 50 % crossing of a
///    partial-volume edge — starting from half the seed's value, the seed's connected component
///    re-found `iterations` times;
/// 4. cleaning: holes filled (non-enhancing necrotic cores belong to the tumour, as a reader
///    outlines them), opening by a ball of `openingMm` (spurs and noise bridges), the seed's
///    component kept.
public struct LesionFinder: Sendable {
    public var earlyPhase = 1
    public var smoothingMm = 0.8
    public var skinMarginMm = 3.0
    public var backgroundShellMm = 4.0
    public var iterations = 4
    public var openingMm = 1.0

    public init() {}

    /// The automatic lesion of an aligned study.
    public func find(in aligned: AlignedStudy) throws -> Lesion {
        let dce = aligned.dce
        let name = aligned.study.folder.lastPathComponent
        func fail(_ why: String) -> HER2ModelError {
            .invalidStudy(path: aligned.study.folder.path, reason: "study \(name): no tumour_mask given and \(why)")
        }
        guard dce.phases > earlyPhase else { throw fail("the DCE has no phase \(earlyPhase) to subtract") }
        let n = dce.voxelsPerPhase
        let size = dce.size, spacing = dce.geometry.spacing
        var sub = [Float](repeating: 0, count: n)
        for v in 0..<n { sub[v] = dce.samples[earlyPhase * n + v] - dce.samples[v] }
        sub = LesionMorphology.gaussian(sub, size: size, spacing: spacing, sigma: smoothingMm)

        let breast = LesionMorphology.erode(aligned.breastMask.booleanMask, size: size, spacing: spacing, radius: skinMarginMm)
        var seed = -1
        var best = -Float.infinity
        for v in 0..<n where breast[v] && sub[v] > best { best = sub[v]; seed = v }
        guard seed >= 0, best > 0 else { throw fail("nothing enhances inside the breast mask; outline the tumour in tumor_mask.nii.gz") }

        var threshold = best / 2
        var region = [Bool](repeating: false, count: n)
        for _ in 0..<max(1, iterations) {
            region = LesionMorphology.component(of: sub.map { $0 > threshold }, size: size, containing: seed)
            let inner = median(sub, where: region)
            let shell = zip(LesionMorphology.dilate(region, size: size, spacing: spacing, radius: backgroundShellMm), region)
                .map { $0 && !$1 }
            let outer = median(sub, where: shell)
            let next = (inner + outer) / 2
            if abs(next - threshold) <= 1e-3 * abs(best) { threshold = next; break }
            threshold = next
        }
        region = LesionMorphology.component(of: sub.map { $0 > threshold }, size: size, containing: seed)
        region = LesionMorphology.fillHoles(region, size: size)
        let opened = LesionMorphology.open(region, size: size, spacing: spacing, radius: openingMm)
        let cleaned = LesionMorphology.component(of: opened, size: size, containing: seed)
        if cleaned.contains(true) { region = cleaned }
        let mask = dce.phase(0).maskVolume(region)
        return Lesion(mask: mask, automatic: true, source:
            "automatic: early DCE subtraction (phase \(earlyPhase) − phase 0), component around the strongest enhancement in the breast, threshold \(String(format: "%.4g", threshold))")
    }

    /// Median of `x` where `mask` holds (0 when it holds nowhere).
    private func median(_ x: [Float], where mask: [Bool]) -> Float {
        var v: [Float] = []
        for i in 0..<x.count where mask[i] { v.append(x[i]) }
        guard !v.isEmpty else { return 0 }
        v.sort()
        return v[v.count / 2]
    }
}
