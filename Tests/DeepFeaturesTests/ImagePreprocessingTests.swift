import DeepFeatures
import Foundation
import Testing

/// Resize and normalisation against torchvision's `resize(antialias=True)` + `normalize`.
@Suite("Image preprocessing")
struct ImagePreprocessingTests {
    @Test("matches torchvision (down- and up-sampling)", arguments: [(20, 15), (64, 80), (224, 224)])
    func matchesTorchvision(_ oh: Int, _ ow: Int) throws {
        let patch = try Fixtures.npy("patch.npy")
        let got = try ImagePreprocessing.imageNetInput(patch: patch.storage, height: 37, width: 53, outHeight: oh, outWidth: ow)
        let want = try Fixtures.npy("patch_resized_\(oh)x\(ow).npy")
        let rows = oh == 224 ? [0, 1, 100, 223] : Array(0..<oh)
        #expect(want.shape == [3, rows.count, ow])
        var worst: Float = 0
        for c in 0..<3 {
            for (r, y) in rows.enumerated() {
                for x in 0..<ow {
                    worst = max(worst, abs(got.storage[(c * oh + y) * ow + x] - want.storage[(c * rows.count + r) * ow + x]))
                }
            }
        }
        print("preprocessing \(oh)x\(ow): max|Δ| \(worst)")
        #expect(worst <= 2e-6)
    }

    @Test("a constant patch stays constant; bad patches are refused")
    func invariants() throws {
        let out = try ImagePreprocessing.imageNetInput(patch: [Float](repeating: 0.5, count: 30 * 40), height: 30, width: 40)
        #expect(abs(out.storage[0] - (0.5 - 0.485) / 0.229) < 1e-6)
        #expect(abs(out.storage[224 * 224 * 3 - 1] - (0.5 - 0.406) / 0.225) < 1e-6)
        #expect(throws: DeepFeaturesError.self) { try ImagePreprocessing.imageNetInput(patch: [1, 2], height: 3, width: 3) }
        #expect(throws: DeepFeaturesError.self) { try ImagePreprocessing.imageNetInput(patch: [.nan], height: 1, width: 1) }
    }
}
