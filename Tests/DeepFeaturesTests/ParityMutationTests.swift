@testable import DeepFeatures
import Foundation
import Testing

/// Deliberately wrong networks against the PyTorch fixtures: each must fail its backbone's
/// pinned bar (ParityTests.cases). Where the first bar (max |Δ| ≤ 1e-3, cosine ≥ 0.99999, and
/// relative ≤ 1e-4 on the oneDNN path) let the wrong network through, the test says so too.
/// Measured here: tanh GELU in ViT-S max |Δ| 6.1e-4 (relative 1.8e-4); LayerNorm ε 1e-5 for
/// 1e-6, 4.0e-5 (1.2e-5); EfficientNet-B0 with one squeeze-excitation bias element dropped,
/// 2.5e-5 (4.3e-5); batch norm without running statistics, 0.77 (whole last layer) and 6e-3
/// (one channel of a projection).
@Suite("Parity catches wrong networks")
struct ParityMutationTests {
    static func vit(_ variant: ViTSmall.Variant) throws -> Agreement {
        let network = try ViTSmall(weights: try Fixtures.weights("vit_small_patch16_224"), variant: variant)
        let got = try network.features(Tensor.fromNCHW(FormulaWeights.images("input", count: 3)), options: ParityTests.options)
        return Agreement(got, try Fixtures.npy("vit_small_patch16_224.npy"))
    }

    static func efficientNet(_ weights: WeightSource) throws -> Agreement {
        let got = try ParityTests.run(.efficientnetB0, layer: nil, weights: weights, options: ParityTests.options)
        return Agreement(got, try Fixtures.npy("efficientnet_b0.npy"))
    }

    static let vitBar = ParityTests.bar("vit_small_patch16_224"), efficientNetBar = ParityTests.bar("efficientnet_b0")

    @Test("tanh-approximated GELU in ViT-S: the old main check passed it")
    func tanhGELU() throws {
        let a = try Self.vit(ViTSmall.Variant(mlpActivation: .geluTanh))
        print("mutation ViT tanh GELU: \(a)")
        #expect(a.passesOldBar)
        #expect(!a.passes(Self.vitBar), "\(a)")
    }

    @Test("LayerNorm ε 1e-5 (PyTorch's default) instead of timm's 1e-6: the old bars passed it")
    func layerNormEpsilon() throws {
        let a = try Self.vit(ViTSmall.Variant(layerNormEps: 1e-5))
        print("mutation ViT LayerNorm eps 1e-5: \(a)")
        #expect(a.passesOldRelativeBar)
        #expect(!a.passes(Self.vitBar), "\(a)")
    }

    @Test("a dropped bias: whole, or one element (an off-by-one copy), which the old bars passed")
    func droppedBias() throws {
        let base = try Fixtures.weights("efficientnet_b0")
        let element = try Self.efficientNet(MutatedWeights(base, ["features.5.2.block.2.fc2.bias": { var v = $0; v[0] = 0; return v }]))
        print("mutation EfficientNet-B0 one SE bias element dropped: \(element)")
        #expect(element.passesOldRelativeBar)
        #expect(!element.passes(Self.efficientNetBar), "\(element)")
        let whole = try Self.efficientNet(MutatedWeights.dropped(base, "features.7.0.block.2.fc2.bias"))
        #expect(!whole.passes(Self.efficientNetBar), "\(whole)")
    }

    @Test("batch norm without its running statistics (caught by the old bar too)")
    func batchNormWithoutRunningStatistics() throws {
        let base = try Fixtures.weights("efficientnet_b0")
        let layer = try Self.efficientNet(MutatedWeights.withoutRunningStatistics(base, "features.8.1"))
        #expect(!layer.passes(Self.efficientNetBar), "\(layer)")
        let channel = try Self.efficientNet(MutatedWeights(base, [
            "features.7.0.block.3.1.running_mean": { var v = $0; v[v.count - 1] = 0; return v },
            "features.7.0.block.3.1.running_var": { var v = $0; v[v.count - 1] = 1; return v }]))
        print("mutation EfficientNet-B0 batch norm without running statistics: layer \(layer); one channel \(channel)")
        #expect(!channel.passes(Self.efficientNetBar), "\(channel)")
    }
}
