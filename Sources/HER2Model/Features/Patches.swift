import Foundation
import Volumes

/// The 2-D images the backbones see: for T1, T2 and the early DCE subtraction, the axial
/// slices of largest lesion area and their neighbours, cropped to a square around the lesion
/// with a margin, on the [0, 1] scale of torchvision's `ToTensor`.
///
/// Intensities: the sequence's `AlignedStudy.normalisation` first (z-score in the breast), then
/// the channel's window mapped linearly onto [0, 1] and clipped. The subtraction is
/// (early − pre) / scale of the DCE (its offset cancels). The crops stay at the grid's own
/// resolution; `ImagePreprocessing.imageNetInput` resizes them to 224 × 224 (bilinear,
/// antialiased as torchvision) and applies the ImageNet mean and standard deviation.
///
/// Convention: "axial" means the grid's k planes (rows j, columns i); a study whose k axis is
/// not the patient's z axis is cropped in its own planes and says so in `notes`.
public struct Patches: Sendable {
    /// The image channels, in feature-name order.
    public enum Channel: String, Sendable, CaseIterable, Codable {
        case t1
        case t2
        case dceSub = "dce_sub"
    }

    /// Plain values with defaults; part of the feature cache's key.
    public struct Settings: Sendable, Codable, Equatable {
        /// Slices taken on each side of the slice of largest lesion area.
        public var neighbours = 1
        /// Margin added on each side of the lesion's in-plane bounding square, as a fraction of
        /// its side (the square is centred on the lesion's centroid and widened to hold the box).
        public var marginFraction = 0.25
        /// Smallest crop side (mm), so tiny lesions keep some context.
        public var minimumSideMm = 24.0
        /// DCE phase used for the early subtraction (phase 0 is pre-contrast).
        public var earlyPhase = 1
        /// Normalised-intensity window mapped onto [0, 1]: T1 and T2 in z units, the subtraction
        /// in DCE z units (tumour enhancement reaches 2–10 there).
        public var windowT1 = [-3.0, 3.0]
        public var windowT2 = [-3.0, 3.0]
        public var windowSubtraction = [-2.0, 10.0]
        public init() {}
    }

    /// One crop: `height` × `width` values, row-major (rows along j).
    public struct Plane: Sendable, Equatable {
        public let height: Int
        public let width: Int
        public let values: [Float]
    }

    /// Slice indices (k) used.
    public let slices: [Int]
    /// The crop square in voxel indices: first i, first j, side.
    public let origin: (i: Int, j: Int)
    public let side: Int
    /// Per channel, one plane per slice.
    public let planes: [Channel: [Plane]]
    public let notes: [String]

    /// Patches of `aligned` around `mask` (on the DCE grid).
    public static func make(_ aligned: AlignedStudy, mask: Volume, settings: Settings = Settings()) throws -> Patches {
        let name = aligned.study.folder.lastPathComponent
        let size = mask.size
        var notes: [String] = []
        // Slice of largest area and its neighbours.
        var area = [Int](repeating: 0, count: size.z)
        var lo = SIMD2(Int.max, Int.max), hi = SIMD2(Int.min, Int.min)
        var centroid = SIMD2<Double>.zero, count = 0.0
        for k in 0..<size.z {
            for j in 0..<size.y {
                for i in 0..<size.x where mask.samples[mask.index(i, j, k)] > 0.5 {
                    area[k] += 1
                }
            }
        }
        guard let best = area.indices.max(by: { area[$0] < area[$1] }), area[best] > 0 else {
            throw HER2ModelError.invalidStudy(path: aligned.study.folder.path, reason: "study \(name): the lesion mask is empty; nothing to crop")
        }
        let slices = Array(max(0, best - settings.neighbours)...min(size.z - 1, best + settings.neighbours))
        for k in slices {
            for j in 0..<size.y {
                for i in 0..<size.x where mask.samples[mask.index(i, j, k)] > 0.5 {
                    lo = SIMD2(min(lo.x, i), min(lo.y, j))
                    hi = SIMD2(max(hi.x, i), max(hi.y, j))
                    centroid += SIMD2(Double(i), Double(j))
                    count += 1
                }
            }
        }
        // Square in millimetres (in-plane spacing may differ between i and j; use the finer).
        let sp = mask.geometry.spacing
        let pixel = min(sp.x, sp.y)
        let extentMm = max(Double(hi.x - lo.x + 1) * sp.x, Double(hi.y - lo.y + 1) * sp.y)
        let sideMm = max(settings.minimumSideMm, extentMm * (1 + 2 * settings.marginFraction))
        // Centred on the lesion's centroid over the chosen slices (the bounding box's centre
        // would ignore most of a second reader's outline), the square still holding the box.
        let box = SIMD2(Double(lo.x + hi.x) / 2, Double(lo.y + hi.y) / 2)
        let centre = centroid / count
        let shift = SIMD2(abs(centre.x - box.x) * sp.x, abs(centre.y - box.y) * sp.y)
        let side = max(8, Int(((sideMm + 2 * max(shift.x, shift.y)) / pixel).rounded()))
        let start = (i: Int((centre.x - Double(side - 1) / 2).rounded()), j: Int((centre.y - Double(side - 1) / 2).rounded()))
        let d = aligned.dce.geometry.direction
        if abs(d[2, 2]) < 0.7 {
            notes.append("the DCE's slices are not axial; patches are cropped in the acquired planes")
        }

        func normaliser(_ key: String, _ volume: Volume) -> IntensityNormalisation {
            if let n = aligned.normalisation[key] { return n }
            notes.append("no \(key) normalisation from preprocessing; z-score inside the breast mask used")
            return Patches.zscore(volume, in: aligned.breastMask)
        }
        func window(_ w: [Double]) -> (Float, Float) { (Float(w[0]), Float(w[1])) }
        func crop(_ value: (Int, Int, Int) -> Float, window: (Float, Float)) -> [Plane] {
            slices.map { k in
                var values = [Float](repeating: 0, count: side * side)
                for r in 0..<side {
                    let j = min(max(start.j + r, 0), size.y - 1)
                    for c in 0..<side {
                        let i = min(max(start.i + c, 0), size.x - 1)
                        let z = value(i, j, k)
                        values[r * side + c] = min(1, max(0, (z - window.0) / (window.1 - window.0)))
                    }
                }
                return Plane(height: side, width: side, values: values)
            }
        }

        var planes: [Channel: [Plane]] = [:]
        let t1 = aligned.t1
        let n1 = normaliser("T1", t1)
        planes[.t1] = crop({ n1.apply(t1[$0, $1, $2]) }, window: window(settings.windowT1))
        if let t2 = aligned.t2 {
            let n2 = normaliser("T2", t2)
            planes[.t2] = crop({ n2.apply(t2[$0, $1, $2]) }, window: window(settings.windowT2))
        } else {
            notes.append("no T2: the T2 channel's patches are the T1's")
            planes[.t2] = planes[.t1]
        }
        let dce = aligned.dce
        guard dce.phases > settings.earlyPhase else {
            throw HER2ModelError.invalidStudy(path: aligned.study.folder.path, reason: "study \(name): the DCE has no phase \(settings.earlyPhase) for the subtraction")
        }
        let scale = Float(normaliser("DCE", dce.phase(0)).scale)
        let early = settings.earlyPhase
        planes[.dceSub] = crop({ (dce[$0, $1, $2, phase: early] - dce[$0, $1, $2]) / scale }, window: window(settings.windowSubtraction))
        return Patches(slices: slices, origin: start, side: side, planes: planes, notes: notes)
    }

    static func zscore(_ v: Volume, in mask: Volume) -> IntensityNormalisation {
        var s = 0.0, s2 = 0.0, n = 0.0
        for (x, m) in zip(v.samples[0..<v.voxelsPerPhase], mask.samples) where m > 0.5 {
            s += Double(x); s2 += Double(x) * Double(x); n += 1
        }
        guard n > 1 else { return IntensityNormalisation(method: "zscore", offset: 0, scale: 1) }
        let mean = s / n
        return IntensityNormalisation(method: "zscore", offset: mean, scale: max(1e-6, (s2 / n - mean * mean).squareRoot()))
    }
}
