@testable import DeepFeatures
import Foundation
import Testing

/// The four backbones against PyTorch (torchvision / timm) on the committed fixtures: same
/// formula weights, running statistics and inputs. Each backbone's bar is pinned a few times
/// above the agreement measured (max |Δ| and 1 − cosine, also after removing the batch mean),
/// and deliberately wrong networks — tanh GELU, a wrong LayerNorm ε, a dropped bias, batch norm
/// without its running statistics — must fail it.
@Suite("Parity with PyTorch")
struct ParityTests {
    /// Measured on this machine (oneDNN, 2 threads; `swift test --filter ParityTests` prints them):
    /// ResNet50 max|Δ| 7.1e-5, 1 − centred cosine 6e-9; VGG16 fc7 3.9e-5 / 4e-10, gap 3.8e-6 /
    /// 4e-11; EfficientNet-B0 7.5e-7 / 5e-12; ViT-S 3.9e-6 / 3e-12.
    static let cases: [(Backbone, String?, String, ParityBar)] = [
        (.resnet50, nil, "resnet50", ParityBar(maxAbs: 2.5e-4, cosineGap: 5e-8)),
        (.vgg16, "fc7", "vgg16_fc7", ParityBar(maxAbs: 1.5e-4, cosineGap: 5e-9)),
        (.vgg16, "gap", "vgg16_gap", ParityBar(maxAbs: 1.5e-5, cosineGap: 5e-10)),
        (.efficientnetB0, nil, "efficientnet_b0", ParityBar(maxAbs: 3e-6, cosineGap: 1e-10)),
        (.vitSmall, nil, "vit_small_patch16_224", ParityBar(maxAbs: 1.5e-5, cosineGap: 1e-10)),
    ]

    static func bar(_ fixture: String) -> ParityBar { cases.first { $0.2 == fixture }!.3 }

    static let options = InferenceOptions(backend: .oneDNN, threads: 2)

    static func run(_ backbone: Backbone, layer: String?, weights: WeightSource, options: InferenceOptions, images: Int = 3) throws -> Tensor {
        let extractor = try FeatureExtractor(backbone: backbone, layer: layer, weights: weights)
        return try extractor.embed(nchw: FormulaWeights.images("input", count: images), options: options)
    }

    @Test("oneDNN path matches PyTorch", arguments: 0..<5)
    func oneDNN(_ index: Int) throws {
        let (backbone, layer, fixture, bar) = ParityTests.cases[index]
        let want = try Fixtures.npy("\(fixture).npy")
        let weights = try Fixtures.weights(backbone.rawValue)
        let got = try ParityTests.run(backbone, layer: layer, weights: weights, options: Self.options)
        let agreement = Agreement(got, want)
        print("parity \(fixture) oneDNN: \(agreement)")
        #expect(agreement.passes(bar), "\(fixture): \(agreement); bar \(bar)")
    }

    /// The plain-Swift reference path on the cheaper networks (one image for ResNet50), to the
    /// same bars (measured: EfficientNet-B0 max|Δ| 9.4e-7, ResNet50 5.3e-5).
    @Test("reference path matches PyTorch", arguments: [(Backbone.efficientnetB0, "efficientnet_b0", 3), (.resnet50, "resnet50", 1)])
    func reference(_ backbone: Backbone, _ fixture: String, _ images: Int) throws {
        var want = try Fixtures.npy("\(fixture).npy")
        want = Tensor(shape: [images, want.shape[1]], storage: Array(want.storage.prefix(images * want.shape[1])))
        let got = try ParityTests.run(backbone, layer: nil, weights: try Fixtures.weights(backbone.rawValue),
                                      options: InferenceOptions(backend: .reference, threads: 2), images: images)
        let agreement = Agreement(got, want)
        print("parity \(fixture) reference: \(agreement)")
        #expect(agreement.passes(Self.bar(fixture)), "\(fixture): \(agreement); bar \(Self.bar(fixture))")
    }

    /// Whole `state_dict()` files written by `safetensors.torch.save_file` (the script's `--full DIR`).
    @Test("whole state_dict files from save_file", .enabled(if: Fixtures.fullDirectory != nil, "set HER2MRI_DEEP_FULL to the --full folder of tools/deep_fixtures.py"),
          arguments: 0..<5)
    func fullFiles(_ index: Int) throws {
        let (backbone, layer, fixture, bar) = ParityTests.cases[index]
        let dir = try #require(Fixtures.fullDirectory)
        let extractor = try FeatureExtractor(backbone: backbone, layer: layer, weightsFile: "\(dir)/\(backbone.rawValue).safetensors")
        let got = try extractor.embed(nchw: FormulaWeights.images("input", count: 3), options: Self.options)
        let agreement = Agreement(got, try Fixtures.npy("\(fixture).npy"))
        print("parity \(fixture) full file: \(agreement)")
        #expect(agreement.passes(bar), "\(fixture): \(agreement); bar \(bar)")
        #expect(extractor.weightsIdentity.hasPrefix("sha256:") && !extractor.isSeeded)
    }
}
