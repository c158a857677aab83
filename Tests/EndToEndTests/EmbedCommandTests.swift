import Foundation
import Testing

/// `her2mri embed` as a researcher runs it: .npy in, .npy out, seeded weights said aloud, bad
/// input refused with a message and a non-zero exit.
@Suite struct EmbedCommandTests {
    /// A NumPy v1.0 .npy of little-endian float32 (header padded to 64 bytes, as numpy writes).
    static func npy(shape: [Int], values: [Float]) -> Data {
        let dims = shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? "," : "")
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(dims)), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        data.append(contentsOf: [UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)])
        data.append(Data(header.utf8))
        values.withUnsafeBytes { data.append(contentsOf: $0) }
        return data
    }

    @Test(.timeLimit(.minutes(5)))
    func embedsASeededEfficientNetAndSaysSo() throws {
        let folder = Binary.temporaryFolder("embed")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let input = folder.appendingPathComponent("x.npy"), output = folder.appendingPathComponent("y.npy")
        let n = 3 * 224 * 224
        try Self.npy(shape: [1, 3, 224, 224], values: (0..<n).map { Float(sin(Double($0) * 0.001)) }).write(to: input)
        let run = try Binary.run(["embed", "--backbone", "efficientnet_b0", "--input", input.path, "--output", output.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.lowercased().contains("seeded"))
        let out = try Data(contentsOf: output)
        #expect(out.prefix(6) == Data([0x93] + Array("NUMPY".utf8)))
        #expect(String(decoding: out.prefix(128), as: UTF8.self).contains("(1, 1280)"))
    }

    /// The float32 values of a little-endian `<f4` .npy (version 1.0 header).
    static func readNPY(_ data: Data) throws -> [Float] {
        let bytes = [UInt8](data)
        try #require(bytes.count > 10 && bytes.prefix(6) == [0x93] + Array("NUMPY".utf8))
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        try #require(header.contains("'<f4'") && header.contains("False"), "\(header)")
        let body = Array(bytes[(10 + headerLength)...])
        return stride(from: 0, to: body.count - 3, by: 4).map { i in
            Float(bitPattern: UInt32(body[i]) | UInt32(body[i + 1]) << 8 | UInt32(body[i + 2]) << 16 | UInt32(body[i + 3]) << 24)
        }
    }

    static let deepFixtures = Binary.repository.appendingPathComponent("fixtures/deepfeatures")

    /// `embed --weights` on a whole EfficientNet-B0 `state_dict()` written by
    /// `safetensors.torch.save_file` (tools/deep_embed_fixture.py: compressible periodic formula
    /// weights, float16 running statistics, the classifier and int64 `num_batches_tracked` left
    /// in): the command reports the file's SHA-256, says nothing of seeded weights, and its
    /// features equal PyTorch's to 2e-6 of the largest (measured: 3e-7).
    @Test(.timeLimit(.minutes(5)))
    func embedsAStateDictWrittenBySafetensorsTorch() throws {
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf:
            Self.deepFixtures.appendingPathComponent("embed_manifest.json"))) as? [String: Any])
        let folder = Binary.temporaryFolder("embed-weights")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let gz = folder.appendingPathComponent("weights.safetensors.gz")
        try FileManager.default.copyItem(at: Self.deepFixtures.appendingPathComponent("embed_efficientnet_b0.safetensors.gz"), to: gz)
        let unzip = try Binary.run(["gzip", "-d", gz.path], executable: URL(fileURLWithPath: "/usr/bin/env"))
        try #require(unzip.status == 0, "gzip: \(unzip.stderr)")
        let weights = folder.appendingPathComponent("weights.safetensors")
        let size = try FileManager.default.attributesOfItem(atPath: weights.path)[.size] as? Int
        #expect(size == manifest["bytes"] as? Int)

        // The input the script used: x[n] = ((n·7919) mod 1999) / 1999 · 2 − 1.
        let input = folder.appendingPathComponent("x.npy"), output = folder.appendingPathComponent("y.npy")
        var values = [Float](repeating: 0, count: 3 * 224 * 224)
        for n in values.indices {
            let k: Int = (n * 7919) % 1999
            let v: Double = Double(k) / 1999.0 * 2.0 - 1.0
            values[n] = Float(v)
        }
        try Self.npy(shape: [1, 3, 224, 224], values: values).write(to: input)
        let run = try Binary.run(["embed", "--backbone", "efficientnet_b0", "--weights", weights.path,
                                  "--input", input.path, "--output", output.path])
        #expect(run.status == 0, "\(run.stderr)")
        let sha = try #require(manifest["sha256"] as? String)
        #expect(run.stdout.contains("sha256:\(sha)"), "\(run.stdout)")
        #expect(!run.stderr.lowercased().contains("seeded"), "\(run.stderr)")

        let got = try Self.readNPY(Data(contentsOf: output))
        let want = try Self.readNPY(Data(contentsOf: Self.deepFixtures.appendingPathComponent("embed_efficientnet_b0.npy")))
        try #require(got.count == 1280 && want.count == 1280)
        let largest = Double(want.map(abs).max()!)
        let worst = zip(got, want).map { Double(abs($0 - $1)) }.max()!
        var ab = 0.0, aa = 0.0, bb = 0.0
        for (a, b) in zip(got, want) { ab += Double(a) * Double(b); aa += Double(a) * Double(a); bb += Double(b) * Double(b) }
        let cosine = ab / (aa * bb).squareRoot()
        print("embed --weights vs PyTorch: max|Δ| \(worst) (relative \(worst / largest)), cosine \(cosine)")
        #expect(worst <= 2e-6 * largest && 1 - cosine <= 1e-10, "max|Δ| \(worst) of \(largest), cosine \(cosine)")
    }

    @Test func badInputIsRefusedAndNoOutputIsLeft() throws {
        let folder = Binary.temporaryFolder("embed-bad")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let output = folder.appendingPathComponent("y.npy")

        let truncated = folder.appendingPathComponent("truncated.npy")
        try Self.npy(shape: [1, 3, 224, 224], values: [Float](repeating: 0, count: 1000)).write(to: truncated)
        let r1 = try Binary.run(["embed", "--backbone", "resnet50", "--input", truncated.path, "--output", output.path])
        #expect(r1.status == 1 && r1.stderr.contains("truncated.npy"), "\(r1.stderr)")

        let wrongShape = folder.appendingPathComponent("shape.npy")
        try Self.npy(shape: [1, 3, 32, 32], values: [Float](repeating: 0, count: 3 * 32 * 32)).write(to: wrongShape)
        let r2 = try Binary.run(["embed", "--backbone", "resnet50", "--input", wrongShape.path, "--output", output.path])
        #expect(r2.status == 1 && r2.stderr.contains("224"), "\(r2.stderr)")

        let r3 = try Binary.run(["embed", "--backbone", "alexnet", "--input", wrongShape.path, "--output", output.path])
        #expect(r3.status == 64)
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }
}
