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
