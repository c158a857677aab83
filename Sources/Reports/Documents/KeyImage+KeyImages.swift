import Foundation
import HER2Model

extension KeyImage {
    /// The report's key images from the chain's `KeyImages`: the early subtraction and T2 (when
    /// the study has one), cut to the same square field around the lesion (at least
    /// `minimumFieldMm`, or three times the lesion's extent, inside the slice), with the lesion
    /// mask for the contour and the orientation letters of the slice's directions.
    ///
    /// Windows that print well in grey: the subtraction from 0 (no enhancement, black) to the
    /// larger of the field's 99.5th percentile and the lesion's 95th (the enhancing lesion white,
    /// not a small lesion's surroundings stretched to white); T2 from the 1st to the 99th
    /// percentile of the field.
    public static func pair(_ k: KeyImages, templates t: ReportTemplates, minimumFieldMm: Double = 90) -> [KeyImage] {
        let field = KeyImage.field(k, minimumFieldMm: minimumFieldMm)
        func cut<T>(_ values: [T]) -> [T] {
            var out = [T]()
            out.reserveCapacity(field.width * field.height)
            for r in field.row..<(field.row + field.height) {
                out += values[(r * k.width + field.column)..<(r * k.width + field.column + field.width)]
            }
            return out
        }
        let mask = cut(k.mask)
        let letters = k.edgeLetters
        func image(_ title: String, _ pixels: [Float], window: (Float, Float)) -> KeyImage {
            KeyImage(title: title, pixels: pixels, width: field.width, height: field.height,
                     columnSpacingMm: k.columnSpacingMm, rowSpacingMm: k.rowSpacingMm, mask: mask,
                     left: letters.left, right: letters.right, top: letters.top, bottom: letters.bottom, window: window)
        }
        let slice = String(k.slice + 1)
        let sub = cut(k.subtraction)
        let lesion = zip(sub, mask).filter { $0.1 != 0 }.map(\.0)
        let high = max(KeyImage.quantile(sub, 0.995), KeyImage.quantile(lesion, 0.95), 1e-3)
        var images = [image(t.text("keyImageSubtraction", ["phase": String(k.earlyPhase), "slice": slice]), sub, window: (0, high))]
        if let t2 = k.t2 {
            let v = cut(t2)
            let lo = KeyImage.quantile(v, 0.01), hi = KeyImage.quantile(v, 0.99)
            images.append(image(t.text("keyImageT2", ["slice": slice]), v, window: (lo, hi > lo ? hi : lo + 1)))
        }
        return images
    }

    /// The square field (in pixels of the slice) centred on the lesion's centre: its first row
    /// and column and its size, kept inside the slice.
    static func field(_ k: KeyImages, minimumFieldMm: Double) -> (row: Int, column: Int, width: Int, height: Int) {
        var lo = (r: Int.max, c: Int.max), hi = (r: Int.min, c: Int.min)
        for r in 0..<k.height {
            for c in 0..<k.width where k.mask[r * k.width + c] != 0 {
                lo = (min(lo.r, r), min(lo.c, c)); hi = (max(hi.r, r), max(hi.c, c))
            }
        }
        guard lo.r <= hi.r else { return (0, 0, k.width, k.height) }
        let extentMm = max(Double(hi.c - lo.c + 1) * k.columnSpacingMm, Double(hi.r - lo.r + 1) * k.rowSpacingMm)
        let sideMm = max(minimumFieldMm, 3 * extentMm)
        let w = min(k.width, max(1, Int((sideMm / k.columnSpacingMm).rounded())))
        let h = min(k.height, max(1, Int((sideMm / k.rowSpacingMm).rounded())))
        let cr = (lo.r + hi.r) / 2, cc = (lo.c + hi.c) / 2
        let row = min(max(0, cr - h / 2), k.height - h), column = min(max(0, cc - w / 2), k.width - w)
        return (row, column, w, h)
    }

    /// Type-7 quantile of the finite values (0 when none).
    static func quantile(_ values: [Float], _ q: Double) -> Float {
        let v = values.filter { $0.isFinite }.sorted()
        guard !v.isEmpty else { return 0 }
        let h = Double(v.count - 1) * q, i = Int(h.rounded(.down)), f = Float(h - Double(i))
        return i + 1 < v.count ? v[i] + f * (v[i + 1] - v[i]) : v[i]
    }
}
