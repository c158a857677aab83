import Foundation
import Volumes

/// What the patient report needs to show the lesion, carried out of the chain beside the
/// prediction (not written into prediction.json): the lesion's axial slice of largest area on
/// the early DCE subtraction and on T2 (already on the DCE grid), that slice of the lesion mask,
/// the pixel spacing and the patient directions of the image's rows and columns. Two slices and
/// a mask, never whole volumes.
///
/// Conventions (stated once): pixels are row-major with rows along the grid's j axis (first row
/// = j 0, drawn at the top) and columns along i; "axial" means the grid's k planes, as in
/// `Patches`. Directions are unit vectors in LPS (+x Left, +y Posterior, +z Superior). The
/// subtraction is (S_early − S_pre) / σ_DCE (the DCE's normalisation scale, so 1 = one standard
/// deviation of the breast's pre-contrast signal); T2 is z-scored with its normalisation.
public struct KeyImages: Sendable, Equatable {
    /// The slice index k on the DCE grid.
    public var slice: Int
    /// Columns (along i) and rows (along j).
    public var width: Int
    public var height: Int
    /// Early DCE subtraction, width × height values.
    public var subtraction: [Float]
    /// T2 on the DCE grid, nil when the study has no T2.
    public var t2: [Float]?
    /// 1 inside the lesion, 0 outside.
    public var mask: [UInt8]
    /// Millimetres between neighbouring columns and rows.
    public var columnSpacingMm: Double
    public var rowSpacingMm: Double
    /// LPS direction in which the column index grows (left → right on the page) and the row
    /// index grows (top → bottom).
    public var columnDirection: SIMD3<Double>
    public var rowDirection: SIMD3<Double>
    /// DCE phase of the subtraction (phase 0 is pre-contrast).
    public var earlyPhase: Int

    public init(slice: Int, width: Int, height: Int, subtraction: [Float], t2: [Float]?, mask: [UInt8],
                columnSpacingMm: Double, rowSpacingMm: Double, columnDirection: SIMD3<Double>,
                rowDirection: SIMD3<Double>, earlyPhase: Int) {
        self.slice = slice; self.width = width; self.height = height
        self.subtraction = subtraction; self.t2 = t2; self.mask = mask
        self.columnSpacingMm = columnSpacingMm; self.rowSpacingMm = rowSpacingMm
        self.columnDirection = columnDirection; self.rowDirection = rowDirection
        self.earlyPhase = earlyPhase
    }

    /// The k slice with the most lesion voxels (> 0.5); the lowest k on ties, nil for an empty
    /// mask. The same rule `Patches` crops around.
    public static func largestAreaSlice(_ mask: Volume) -> Int? {
        let s = mask.size, plane = s.x * s.y
        var best: Int?, bestArea = 0
        for k in 0..<s.z {
            var area = 0
            for v in mask.samples[(k * plane)..<((k + 1) * plane)] where v > 0.5 { area += 1 }
            if area > bestArea { best = k; bestArea = area }
        }
        return best
    }

    /// The key slices of a study's lesion (its given mask, or the one `finder` finds, as the
    /// feature stage takes it).
    public static func of(_ aligned: AlignedStudy, finder: LesionFinder = LesionFinder(), earlyPhase: Int = 1) throws -> KeyImages {
        try make(aligned, mask: try Lesion.of(aligned, finder: finder).mask, earlyPhase: earlyPhase)
    }

    /// Cuts the key slices of `aligned` at the largest-area slice of `mask` (on the DCE grid).
    public static func make(_ aligned: AlignedStudy, mask: Volume, earlyPhase: Int = 1) throws -> KeyImages {
        let name = aligned.study.folder.lastPathComponent
        guard let k = largestAreaSlice(mask) else {
            throw HER2ModelError.invalidStudy(path: aligned.study.folder.path, reason: "study \(name): the lesion mask is empty; no key image")
        }
        let dce = aligned.dce
        guard dce.phases > earlyPhase, mask.size == dce.size else {
            throw HER2ModelError.invalidStudy(path: aligned.study.folder.path, reason: "study \(name): no DCE phase \(earlyPhase) on the mask's grid for the key image")
        }
        let (w, h) = (dce.size.x, dce.size.y)
        let scale = Float(aligned.normalisation["DCE"]?.scale ?? 1)
        var sub = [Float](repeating: 0, count: w * h), m = [UInt8](repeating: 0, count: w * h)
        var t2: [Float]? = aligned.t2 == nil ? nil : [Float](repeating: 0, count: w * h)
        let n2 = aligned.normalisation["T2"]
        for j in 0..<h {
            for i in 0..<w {
                let p = j * w + i
                sub[p] = (dce[i, j, k, phase: earlyPhase] - dce[i, j, k]) / (scale > 0 ? scale : 1)
                m[p] = mask[i, j, k] > 0.5 ? 1 : 0
                if let v = aligned.t2 { t2![p] = n2.map { $0.apply(v[i, j, k]) } ?? v[i, j, k] }
            }
        }
        let d = dce.geometry.direction
        return KeyImages(slice: k, width: w, height: h, subtraction: sub, t2: t2, mask: m,
                         columnSpacingMm: dce.geometry.spacing.x, rowSpacingMm: dce.geometry.spacing.y,
                         columnDirection: SIMD3(d[0, 0], d[1, 0], d[2, 0]), rowDirection: SIMD3(d[0, 1], d[1, 1], d[2, 1]),
                         earlyPhase: earlyPhase)
    }

    /// The patient-orientation letters of an LPS direction, most significant first, as DICOM's
    /// Patient Orientation (PS3.3 C.7.6.1.1.1): L/R for x, P/A for y, H/F for z; a component
    /// counts when it is at least 0.25 of the vector (about 15° off the plane), so an oblique
    /// image reads e.g. "LP".
    public static func orientationLetters(_ v: SIMD3<Double>) -> String {
        let parts: [(Double, String)] = [(v.x, v.x >= 0 ? "L" : "R"), (v.y, v.y >= 0 ? "P" : "A"), (v.z, v.z >= 0 ? "H" : "F")]
        let norm = (v * v).sum().squareRoot()
        guard norm > 0 else { return "?" }
        return parts.filter { abs($0.0) / norm >= 0.25 }.sorted { abs($0.0) > abs($1.0) }.map(\.1).joined()
    }

    /// Letters at the left, right, top and bottom edges of the slice as drawn (first row at the
    /// top, first column at the left): an LPS-axial grid gives R, L, A, P (radiological view).
    public var edgeLetters: (left: String, right: String, top: String, bottom: String) {
        (KeyImages.orientationLetters(-columnDirection), KeyImages.orientationLetters(columnDirection),
         KeyImages.orientationLetters(-rowDirection), KeyImages.orientationLetters(rowDirection))
    }
}
