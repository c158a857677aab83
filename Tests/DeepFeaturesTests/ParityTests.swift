@testable import DeepFeatures
import Foundation
import Testing

/// The four backbones against PyTorch (torchvision / timm) on the committed fixtures: same
/// formula weights, running statistics and inputs; features must agree to max-abs ≤ 1e-3 and
/// cosine ≥ 0.99999 per vector, also after removing the batch mean.
@Suite("Parity with PyTorch")
struct ParityTests {
    static let cases: [(Backbone, String?, String)] = [
        (.resnet50, nil, "resnet50"), (.vgg16, "fc7", "vgg16_fc7"), (.vgg16, "gap", "vgg16_gap"),
        (.efficientnetB0, nil, "efficientnet_b0"), (.vitSmall, nil, "vit_small_patch16_224"),
    ]

    static func run(_ backbone: Backbone, layer: String?, weights: WeightSource, options: InferenceOptions, images: Int = 3) throws -> Tensor {
        let extractor = try FeatureExtractor(backbone: backbone, layer: layer, weights: weights)
        return try extractor.embed(nchw: FormulaWeights.images("input", count: images), options: options)
    }

    @Test("oneDNN path matches PyTorch", arguments: 0..<5)
    func oneDNN(_ index: Int) throws {
        let (backbone, layer, fixture) = ParityTests.cases[index]
        let want = try Fixtures.npy("\(fixture).npy")
        let weights = try Fixtures.weights(backbone.rawValue)
        let got = try ParityTests.run(backbone, layer: layer, weights: weights, options: InferenceOptions(backend: .oneDNN, threads: 2))
        let agreement = Agreement(got, want)
        print("parity \(fixture) oneDNN: \(agreement)")
        #expect(agreement.passes, "\(fixture): \(agreement)")
        #expect(agreement.maxAbsRelative <= 1e-4, "\(fixture): \(agreement)")
    }

    /// The plain-Swift reference path on the cheaper networks (one image for ResNet50).
    @Test("reference path matches PyTorch", arguments: [(Backbone.efficientnetB0, "efficientnet_b0", 3), (.resnet50, "resnet50", 1)])
    func reference(_ backbone: Backbone, _ fixture: String, _ images: Int) throws {
        var want = try Fixtures.npy("\(fixture).npy")
        want = Tensor(shape: [images, want.shape[1]], storage: Array(want.storage.prefix(images * want.shape[1])))
        let got = try ParityTests.run(backbone, layer: nil, weights: try Fixtures.weights(backbone.rawValue),
                                      options: InferenceOptions(backend: .reference, threads: 2), images: images)
        let agreement = Agreement(got, want)
        print("parity \(fixture) reference: \(agreement)")
        #expect(agreement.maxAbs <= 1e-3 && agreement.minCosine >= 0.99999, "\(fixture): \(agreement)")
    }

    /// Whole `state_dict()` files written by `safetensors.torch.save_file` (the script's `--full DIR`).
    @Test("whole state_dict files from save_file", .enabled(if: Fixtures.fullDirectory != nil, "set HER2MRI_DEEP_FULL to the --full folder of tools/deep_fixtures.py"),
          arguments: 0..<5)
    func fullFiles(_ index: Int) throws {
        let (backbone, layer, fixture) = ParityTests.cases[index]
        let dir = try #require(Fixtures.fullDirectory)
        let extractor = try FeatureExtractor(backbone: backbone, layer: layer, weightsFile: "\(dir)/\(backbone.rawValue).safetensors")
        let got = try extractor.embed(nchw: FormulaWeights.images("input", count: 3), options: InferenceOptions(backend: .oneDNN, threads: 2))
        let agreement = Agreement(got, try Fixtures.npy("\(fixture).npy"))
        print("parity \(fixture) full file: \(agreement)")
        #expect(agreement.passes, "\(fixture): \(agreement)")
        #expect(extractor.weightsIdentity.hasPrefix("sha256:") && !extractor.isSeeded)
    }
}
