import Foundation
import Testing
@testable import ImageIO

/// The lossy, near-lossless and less common lossless cases of `fixtures/codecs`, made by
/// `tools/make_codec_fixtures.py`, against an independent decoder's values (see its README).
@Suite("Codecs on generated fixtures")
struct CodecFixtureTests {
    static let folder: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("fixtures/codecs")

    static var names: [String] {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("manifest.json")),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [] }
        return (object["cases"] as? [String]) ?? []
    }

    struct Case {
        let object: [String: Any]
        let bytes: Data

        init(_ name: String) throws {
            let json = try Data(contentsOf: CodecFixtureTests.folder.appendingPathComponent("\(name).json"))
            object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
            bytes = try Data(contentsOf: CodecFixtureTests.folder.appendingPathComponent("\(name).bin"))
        }

        var syntax: String { (object["transfer_syntax"] as? String) ?? "" }

        var frame: DICOMFrameInfo {
            func int(_ key: String) -> Int { (object[key] as? Int) ?? 0 }
            return DICOMFrameInfo(rows: int("rows"), columns: int("columns"), bitsAllocated: int("bits_allocated"),
                                  bitsStored: int("bits_stored"), pixelRepresentation: int("pixel_representation"),
                                  samplesPerPixel: 1, photometric: "MONOCHROME2")
        }

        func ints(_ key: String) -> [Int] { (object[key] as? [Int]) ?? [] }
    }

    @Test("the manifest lists the cases")
    func manifest() {
        #expect(Self.names.count >= 19)
    }

    @Test("decodes like the reference decoder, within the codec's tolerance", arguments: names)
    func decode(_ name: String) throws {
        let c = try Case(name)
        if (c.object["expect"] as? String) == "unsupported" {
            do {
                _ = try decodeCompressedFrame([c.bytes], transferSyntax: c.syntax, frame: c.frame, file: name)
                Issue.record("\(name) decoded but should be refused")
            } catch let ImageIOError.unsupported(file, reason) {
                #expect(file == name)
                #expect(reason.contains(c.syntax))
                #expect(reason.contains("12-bit"))
            }
            return
        }
        let values = try decodeCompressedFrame([c.bytes], transferSyntax: c.syntax, frame: c.frame, file: name)
        let reference = c.ints("reference")
        try #require(values.count == reference.count)
        let tolerance = (c.object["tolerance"] as? Int) ?? 0
        let worst = zip(values, reference).map { abs(Int($0) - $1) }.max() ?? 0
        #expect(worst <= tolerance, "max |ours − reference| = \(worst)")
        if let near = c.object["near"] as? Int {
            let original = c.ints("original")
            let error = zip(values, original).map { abs(Int($0) - $1) }.max() ?? 0
            #expect(error <= near, "near-lossless error \(error) exceeds NEAR \(near)")
        }
    }

    @Test("a frame split into several fragments decodes the same", arguments: ["j2k_lossy_u12", "jls_near2_u12", "jpeg_lossless_p4_u16", "rle_s16", "jpeg_baseline_u8"])
    func fragments(_ name: String) throws {
        let c = try Case(name)
        let whole = try decodeCompressedFrame([c.bytes], transferSyntax: c.syntax, frame: c.frame, file: name)
        let cuts = [0, c.bytes.count / 3, c.bytes.count / 3 + 1, c.bytes.count]
        let pieces = zip(cuts, cuts.dropFirst()).map { c.bytes.subdata(in: $0..<$1) }
        let split = try decodeCompressedFrame(pieces, transferSyntax: c.syntax, frame: c.frame, file: name)
        #expect(split == whole)
    }
}
