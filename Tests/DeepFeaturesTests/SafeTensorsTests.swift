@testable import DeepFeatures
import Foundation
import Support
import Testing

/// The safetensors loader against files written by `safetensors.torch.save_file`, and its
/// errors on damaged files.
@Suite("SafeTensors")
struct SafeTensorsTests {
    static func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("deepfeatures-\(getpid())-\(name)").path
    }

    @Test("F16 and BF16 convert to the values PyTorch converts them to")
    func dtypes() throws {
        let file = try SafeTensorsFile(path: Fixtures.path("dtypes.safetensors"))
        #expect(try file.tensor("f16", shape: [8]) == file.tensor("f16_as_f32", shape: [8]))
        #expect(try file.tensor("bf16", shape: [8]) == file.tensor("bf16_as_f32", shape: [8]))
        #expect(try file.tensor("f32", shape: [8])[3] == 3.140625)
        #expect(throws: DeepFeaturesError.wrongDType(name: "i64", dtype: "I64", file: file.path)) {
            try file.tensor("i64", shape: [8])
        }
    }

    @Test("missing tensor and wrong shape name the tensor and the file")
    func missingAndShape() throws {
        let path = Fixtures.path("resnet50_buffers.safetensors")
        let file = try SafeTensorsFile(path: path)
        #expect(throws: DeepFeaturesError.missingTensor(name: "conv1.weight", file: path)) {
            try file.tensor("conv1.weight", shape: [64, 3, 7, 7])
        }
        #expect(throws: DeepFeaturesError.wrongShape(name: "bn1.running_mean", expected: [32], found: [64], file: path)) {
            try file.tensor("bn1.running_mean", shape: [32])
        }
        // A whole network from a file that lacks its weights: a clear error, no crash.
        #expect(throws: DeepFeaturesError.missingTensor(name: "conv1.weight", file: path)) {
            try FeatureExtractor(backbone: .resnet50, weightsFile: path)
        }
        // Another architecture's file.
        let vit = Fixtures.path("vit_small_patch16_224_buffers.safetensors")
        #expect(throws: DeepFeaturesError.self) { try FeatureExtractor(backbone: .efficientnetB0, weightsFile: vit) }
    }

    @Test("truncated and malformed files are refused", arguments: [8, 100, 1000, 122_000])
    func truncated(_ keep: Int) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("resnet50_buffers.safetensors")))
        let path = SafeTensorsTests.temporary("cut\(keep).safetensors")
        try data.prefix(keep).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            try SafeTensorsFile(path: path)
        } throws: { error in
            guard case .truncatedFile(let file, _)? = error as? DeepFeaturesError else { return false }
            return file == path
        }
    }

    @Test("garbage, empty and absurd headers are refused")
    func garbage() throws {
        for (name, bytes) in [("empty", [UInt8]()), ("short", [1, 2, 3]),
                              ("huge", [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f] + [UInt8](repeating: 0, count: 16)),
                              ("notjson", [4, 0, 0, 0, 0, 0, 0, 0] + Array("{{{{".utf8)),
                              ("badoffsets", Array(SafeTensorsTests.file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, data: 8)))] {
            let path = SafeTensorsTests.temporary("\(name).safetensors")
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            defer { try? FileManager.default.removeItem(atPath: path) }
            #expect(throws: DeepFeaturesError.self) { try SafeTensorsFile(path: path) }
        }
        #expect(throws: DeepFeaturesError.io(file: "/nonexistent/w.safetensors", detail: "")) {
            do { _ = try SafeTensorsFile(path: "/nonexistent/w.safetensors") } catch let DeepFeaturesError.io(file, _) {
                throw DeepFeaturesError.io(file: file, detail: "")
            }
        }
    }

    static func file(_ header: String, data: Int) -> [UInt8] {
        let h = Array(header.utf8)
        var out: [UInt8] = (0..<8).map { UInt8((h.count >> (8 * $0)) & 0xff) }
        out += h
        out += [UInt8](repeating: 0, count: data)
        return out
    }

    @Test("SHA-256 of known messages (FIPS 180-4 examples)")
    func sha256() {
        let abc = Array("abc".utf8).withUnsafeBytes { SHA256.hex($0) }
        #expect(abc == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let empty = [UInt8]().withUnsafeBytes { SHA256.hex($0) }
        #expect(empty == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8).withUnsafeBytes { SHA256.hex($0) }
        #expect(long == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test("seeded weights are deterministic, per name, and flagged")
    func seeded() throws {
        let a = SeededWeights(backbone: .resnet50, seed: 7), b = SeededWeights(backbone: .resnet50, seed: 7)
        #expect(try a.tensor("layer1.0.conv1.weight", shape: [64, 64, 1, 1]) == b.tensor("layer1.0.conv1.weight", shape: [64, 64, 1, 1]))
        #expect(try a.tensor("layer1.0.conv1.weight", shape: [64, 64, 1, 1]) != a.tensor("layer1.0.conv2.weight", shape: [64, 64, 1, 1]))
        #expect(try a.tensor("bn1.running_var", shape: [4]) == [1, 1, 1, 1])
        let w = try a.tensor("layer1.0.conv2.weight", shape: [64, 64, 3, 3])
        let std = (w.map { Double($0 * $0) }.reduce(0, +) / Double(w.count)).squareRoot()
        #expect(abs(std - (2.0 / (64 * 9)).squareRoot()) < 0.002) // Kaiming normal, fan-out
        let extractor = try FeatureExtractor(backbone: .efficientnetB0, weightsFile: nil, seed: 7)
        #expect(extractor.isSeeded && extractor.weightsIdentity == "seeded:7")
    }

    /// The weights are drawn on all cores in chunks; each value must be the one the stream gives
    /// drawn value after value (as the rules in SeededWeights' comment say), whatever the chunks.
    @Test("seeded weights drawn in parallel equal the stream drawn in sequence")
    func seededInParallelEqualsSequence() throws {
        let name = "layer4.2.conv2.weight", shape = [512, 512, 3, 3]   // 2.4 M values: many chunks
        let parallel = try SeededWeights(backbone: .resnet50, seed: 7).tensor(name, shape: shape)
        var rng = SplitMix64(seed: 7 ^ UInt64(SeededWeights.fnv1a(name)) &* 0x9E37_79B9_7F4A_7C15)
        let std = (2 / Double(512 * 9)).squareRoot()
        let sequential = (0..<parallel.count).map { _ in Float(rng.normal() * std) }
        #expect(parallel == sequential)
        // ViT's truncated normal and patch embedding's uniform, and VGG16's linear layers.
        var t = SplitMix64(seed: 7 ^ UInt64(SeededWeights.fnv1a("blocks.0.mlp.fc1.weight")) &* 0x9E37_79B9_7F4A_7C15)
        #expect(try SeededWeights(backbone: .vitSmall, seed: 7).tensor("blocks.0.mlp.fc1.weight", shape: [1536, 384])
                == (0..<(1536 * 384)).map { _ in Float(t.truncatedNormal(std: 0.02, bound: 2)) })
        let bound = 1 / Double(3 * 16 * 16).squareRoot()
        var p = SplitMix64(seed: 7 ^ UInt64(SeededWeights.fnv1a("patch_embed.proj.weight")) &* 0x9E37_79B9_7F4A_7C15)
        #expect(try SeededWeights(backbone: .vitSmall, seed: 7).tensor("patch_embed.proj.weight", shape: [384, 3, 16, 16])
                == (0..<(384 * 768)).map { _ in Float(p.uniform(-bound, bound)) })
        var v = SplitMix64(seed: 7 ^ UInt64(SeededWeights.fnv1a("classifier.3.weight")) &* 0x9E37_79B9_7F4A_7C15)
        #expect(try SeededWeights(backbone: .vgg16, seed: 7).tensor("classifier.3.weight", shape: [1024, 512])
                == (0..<(1024 * 512)).map { _ in Float(v.normal() * 0.01) })
    }
}
