import Foundation
import Testing
import HER2Model
@testable import Reports

/// Key images from the chain's `KeyImages` to the page: the slice named is the one carried
/// (KeyImagesTests in HER2ModelTests checks it is the mask's largest), the field holds the whole
/// lesion, the orientation letters follow the directions, and report.pdf shows them.
@Suite struct KeyImageReportTests {
    /// A 200 × 160 slice at 0.8 mm with a 10 × 6 pixel lesion at rows 100–105, columns 150–159.
    static func slices(column: SIMD3<Double> = SIMD3(1, 0, 0), row: SIMD3<Double> = SIMD3(0, 1, 0), t2: Bool = true) -> KeyImages {
        let w = 200, h = 160
        var sub = [Float](repeating: 0, count: w * h), mask = [UInt8](repeating: 0, count: w * h)
        for r in 100..<106 { for c in 150..<160 { mask[r * w + c] = 1; sub[r * w + c] = 8 } }
        for i in 0..<(w * h) where mask[i] == 0 { sub[i] = Float(i % 7) * 0.1 }
        return KeyImages(slice: 33, width: w, height: h, subtraction: sub, t2: t2 ? sub.map { 3 - $0 } : nil, mask: mask,
                         columnSpacingMm: 0.8, rowSpacingMm: 0.8, columnDirection: column, rowDirection: row, earlyPhase: 1)
    }

    @Test func pairCutsAFieldAroundTheWholeLesion() throws {
        let k = Self.slices()
        let images = KeyImage.pair(k, templates: .standard)
        #expect(images.count == 2)
        #expect(images[0].title.contains("slice 34") && images[0].title.contains("subtraction"))
        #expect(images[1].title.contains("T2") && images[1].title.contains("slice 34"))
        for image in images {
            // 90 mm at 0.8 mm: 113 pixels (rounded), square, every lesion pixel inside.
            #expect(image.width == 113 && image.height == 113)
            #expect(image.mask!.reduce(0) { $0 + Int($1) } == 60)
            #expect([image.left, image.right, image.top, image.bottom] == ["R", "L", "A", "P"])
        }
        // Subtraction window from 0 to the lesion's enhancement; T2 within its field's range.
        #expect(images[0].window!.low == 0 && images[0].window!.high == 8)
        #expect(images[1].window!.low < images[1].window!.high)
        // Without T2 only the subtraction; flipped directions flip the letters.
        let flipped = KeyImage.pair(Self.slices(column: SIMD3(-1, 0, 0), row: SIMD3(0, -1, 0), t2: false), templates: .standard)
        #expect(flipped.count == 1)
        #expect([flipped[0].left, flipped[0].right, flipped[0].top, flipped[0].bottom] == ["L", "R", "P", "A"])
    }

    @Test func reportShowsTheKeyImages() throws {
        let example = try PatientReportInput.example()
        let prediction = { var p = example.prediction; p.keyImages = Self.slices(); return p }()
        let artifactless = PatientReportInput(prediction: prediction, manifest: example.manifest, model: example.model,
                                              keyImages: KeyImage.pair(prediction.keyImages!, templates: .standard), reportTime: example.reportTime)
        let log = try PatientReport.renderLog(artifactless, templates: .standard).map(\.text)
        #expect(log.contains { $0.contains("subtraction") && $0.contains("slice 34") })
        #expect(log.contains { $0.hasPrefix("T2") && $0.contains("slice 34") })
        for letter in ["R", "L", "A", "P"] { #expect(log.filter { $0 == letter }.count == 2, "letter \(letter)") }
        #expect(log.filter { $0 == "20 mm" }.count == 2)
        // Without key images the panel says why.
        var bare = artifactless
        bare.keyImages = []
        #expect(try PatientReport.renderLog(bare).contains { $0.text.hasPrefix("No key images") })
        // The prediction carries them to the documents; prediction.json stays as it was.
        let json = prediction.jsonValue().serialized()
        #expect(!json.contains("keyImages") && json == example.prediction.jsonValue().serialized())
        let encoded = String(decoding: try JSONEncoder().encode(prediction), as: UTF8.self)
        #expect(!encoded.contains("keyImages"))
    }
}
