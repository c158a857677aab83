import Foundation
import Support
import Volumes

/// A stand-in second reader for the ICC filter when the study has no `tumor_mask_reader2`:
/// the first mask changed as another reader's outline would differ — eroded or dilated by
/// `shiftMm`, or left in place, then its contour jittered (each voxel on the inner or outer
/// boundary flipped with probability `jitter`). Seeded by the settings' seed and the study's
/// name, so it is the same in every run and whatever the order studies are processed in.
///
/// The study's practice (ICC between two radiologists' outlines; features kept when
/// ICC ≥ 0.9) needs two outlines; perturbing one is the usual substitute (Zwanenburg et al.,
/// Sci Rep 2019, "Assessing robustness of radiomic features by image perturbation").
public struct PerturbedMask: Sendable {
    public var shiftMm = 1.0
    public var jitter = 0.3
    public var seed: UInt64

    public init(seed: UInt64) { self.seed = seed }

    /// What was done, for the notes.
    public enum Change: String, Sendable { case eroded, dilated, unchanged }

    /// The perturbed mask of `mask` for study `studyId` (never empty: an erosion that would
    /// empty the mask becomes a dilation).
    public func apply(_ mask: Volume, studyId: String) -> (mask: Volume, change: Change) {
        var rng = SplitMix64(seed: seed ^ (UInt64(PerturbedMask.fnv1a(studyId)) &* 0x9E37_79B9_7F4A_7C15))
        let size = mask.size, spacing = mask.geometry.spacing
        let base = mask.booleanMask
        var change: Change = [.eroded, .dilated, .unchanged][Int(rng.next() % 3)]
        var m: [Bool]
        switch change {
        case .eroded:
            m = LesionMorphology.erode(base, size: size, spacing: spacing, radius: shiftMm)
            if m.filter({ $0 }).count < max(8, base.filter { $0 }.count / 4) {
                change = .dilated
                m = LesionMorphology.dilate(base, size: size, spacing: spacing, radius: shiftMm)
            }
        case .dilated: m = LesionMorphology.dilate(base, size: size, spacing: spacing, radius: shiftMm)
        case .unchanged: m = base
        }
        // Contour jitter: voxels with a 6-neighbour of the other kind flip with probability `jitter`.
        let (nx, ny, nz) = (size.x, size.y, size.z)
        var out = m
        for k in 0..<nz {
            for j in 0..<ny {
                for i in 0..<nx {
                    let p = i + nx * (j + ny * k)
                    var edge = false
                    for (di, dj, dk) in [(-1, 0, 0), (1, 0, 0), (0, -1, 0), (0, 1, 0), (0, 0, -1), (0, 0, 1)] {
                        let a = i + di, b = j + dj, c = k + dk
                        guard a >= 0, b >= 0, c >= 0, a < nx, b < ny, c < nz else { continue }
                        if m[a + nx * (b + ny * c)] != m[p] { edge = true; break }
                    }
                    if edge && rng.unit() < jitter { out[p].toggle() }
                }
            }
        }
        if !out.contains(true) { out = base }
        return (mask.maskVolume(out), change)
    }

    /// 32-bit FNV-1a of a string's UTF-8 bytes.
    static func fnv1a(_ s: String) -> UInt32 {
        var h: UInt32 = 0x811C_9DC5
        for b in s.utf8 { h = (h ^ UInt32(b)) &* 0x0100_0193 }
        return h
    }
}
