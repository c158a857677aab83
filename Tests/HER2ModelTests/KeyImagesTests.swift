import Foundation
import Testing
import LinearAlgebra
import Volumes
@testable import HER2Model

/// The key slices the report draws: the slice is the mask's true largest-area slice (built by
/// hand with known areas), the values are the subtraction and T2 of that slice, and the
/// orientation letters follow the grid's directions (LPS axial, flipped, coronal).
@Suite struct KeyImagesTests {
    /// A 12 × 10 × 8 study whose mask has areas 9 (k 2), 20 (k 5) and 16 (k 6): k 5 is largest.
    static func aligned(axes: (i: SIMD3<Double>, j: SIMD3<Double>, k: SIMD3<Double>) = ([1, 0, 0], [0, 1, 0], [0, 0, 1])) throws -> (AlignedStudy, Volume) {
        let size = SIMD3(12, 10, 8)
        let geometry = Geometry(spacing: SIMD3(0.7, 0.8, 2.0), origin: .zero, axes: axes)
        func volume(_ f: (Int, Int, Int) -> Float) throws -> Volume {
            var v = try Volume(size: size, geometry: geometry, repeating: 0)
            for k in 0..<size.z { for j in 0..<size.y { for i in 0..<size.x { v[i, j, k] = f(i, j, k) } } }
            return v
        }
        let mask = try volume { i, j, k in
            switch k {
            case 2: return (3..<6).contains(i) && (3..<6).contains(j) ? 1 : 0           // 9
            case 5: return (2..<7).contains(i) && (4..<8).contains(j) ? 1 : 0           // 20
            case 6: return (3..<7).contains(i) && (4..<8).contains(j) ? 1 : 0           // 16
            default: return 0
            }
        }
        let pre = try volume { i, j, k in Float(100 + i + 10 * j + 100 * k) }
        let early = try volume { i, j, k in Float(100 + i + 10 * j + 100 * k) + (mask[i, j, k] > 0.5 ? 300 : 20) }
        let t2 = try volume { i, j, k in Float(50 * i + j + k) }
        let dce = try Volume.stacking([pre, early])
        let manifest = try JSONDecoder().decode(StudyManifest.self, from: Data(#"{"patient":{"id":"K1"},"study":{},"clinical":{}}"#.utf8))
        let study = Study(folder: URL(fileURLWithPath: "/tmp/K1"), manifest: manifest, source: .nifti, t1: pre, t2: t2, dce: dce,
                          tumourMask: mask, secondReaderMask: nil, classification: nil, notes: [])
        let aligned = AlignedStudy(study: study, dce: dce, t1: pre, t2: t2, breastMask: try volume { _, _, _ in 1 }, phaseMinutes: [0, 1.5],
                                   normalisation: ["DCE": IntensityNormalisation(method: "zscore", offset: 7, scale: 40),
                                                   "T2": IntensityNormalisation(method: "zscore", offset: 10, scale: 5)],
                                   provenance: PreprocessingProvenance(registrations: [], normalisation: [:], seconds: [:]))
        return (aligned, mask)
    }

    static func letters(_ k: KeyImages) -> [String] {
        let e = k.edgeLetters
        return [e.left, e.right, e.top, e.bottom]
    }

    @Test func theSliceIsTheLargestLesionArea() throws {
        let (aligned, mask) = try Self.aligned()
        #expect(KeyImages.largestAreaSlice(mask) == 5)
        let k = try KeyImages.make(aligned, mask: mask)
        #expect(k.slice == 5)
        #expect(k.width == 12 && k.height == 10)
        #expect(k.mask.reduce(0) { $0 + Int($1) } == 20)
        // Row j, column i: the mask slice as built, the subtraction (early − pre) / 40, T2 (v − 10) / 5.
        #expect(k.mask[4 * 12 + 2] == 1 && k.mask[3 * 12 + 2] == 0 && k.mask[7 * 12 + 6] == 1 && k.mask[7 * 12 + 7] == 0)
        #expect(k.subtraction[4 * 12 + 2] == Float(300) / 40)
        #expect(k.subtraction[0] == Float(20) / 40)
        #expect(k.t2![3 * 12 + 9] == (Float(50 * 9 + 3 + 5) - 10) / 5)
        #expect(k.columnSpacingMm == 0.7 && k.rowSpacingMm == 0.8)
        // An empty mask is refused, naming the study.
        let empty = try Volume(size: mask.size, geometry: mask.geometry, repeating: 0)
        #expect(KeyImages.largestAreaSlice(empty) == nil)
        #expect(throws: HER2ModelError.self) { try KeyImages.make(aligned, mask: empty) }
    }

    @Test func orientationLettersFollowTheGrid() throws {
        // LPS axial (DICOM's usual): columns → patient left, rows → posterior: radiological R | L, A over P.
        var k = try KeyImages.make(try Self.aligned().0, mask: try Self.aligned().1)
        #expect(Self.letters(k) == ["R", "L", "A", "P"])
        // Flipped in-plane axes (i towards the right, j anterior): the letters swap.
        let flipped = try Self.aligned(axes: ([-1, 0, 0], [0, -1, 0], [0, 0, 1]))
        k = try KeyImages.make(flipped.0, mask: flipped.1)
        #expect(Self.letters(k) == ["L", "R", "P", "A"])
        // Coronal planes (j towards the feet): head at the top.
        let coronal = try Self.aligned(axes: ([1, 0, 0], [0, 0, -1], [0, 1, 0]))
        k = try KeyImages.make(coronal.0, mask: coronal.1)
        #expect(Self.letters(k) == ["R", "L", "H", "F"])
        // Oblique by 30° about z: two letters, the larger component first.
        let c = cos(Double.pi / 6), s = sin(Double.pi / 6)
        #expect(KeyImages.orientationLetters(SIMD3(c, s, 0)) == "LP")
        #expect(KeyImages.orientationLetters(SIMD3(-s, c, 0)) == "PR")
        #expect(KeyImages.orientationLetters(SIMD3(0.99, 0.1, 0)) == "L")
    }
}
