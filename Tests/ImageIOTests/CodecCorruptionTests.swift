import Foundation
import Support
import LinearAlgebra
import Testing
@testable import ImageIO

/// Corrupted codec streams (truncated, bytes flipped, markers planted) end in a clear
/// `ImageIOError` or in a frame of the right size — never a crash or a hang. Each decoder is
/// bounded by construction (every loop advances through the input or the output), and the
/// mutations are deterministic (SplitMix64) so a failure can be replayed.
@Suite("Codecs on corrupted streams")
struct CodecCorruptionTests {
    /// The `index`-th mutation of `bytes`: truncation, flipped bytes (half of them in the first
    /// 256 bytes, where headers live), planted FF markers, or a mix.
    static func mutate(_ bytes: Data, seed: UInt64) -> Data {
        var rng = SplitMix64(seed: seed)
        var b = [UInt8](bytes)
        func position() -> Int { rng.below(2) == 0 ? rng.below(min(b.count, 256)) : rng.below(b.count) }
        switch rng.below(4) {
        case 0:
            b = Array(b.prefix(rng.below(b.count)))
        case 1:
            for _ in 0...rng.below(4) where !b.isEmpty { b[position()] ^= UInt8(1 + rng.below(255)) }
        case 2:
            for _ in 0...rng.below(2) where b.count > 1 {
                let p = position()
                b[p] = 0xFF
                if p + 1 < b.count { b[p + 1] = UInt8(rng.below(256)) }
            }
        default:
            for _ in 0...rng.below(3) where !b.isEmpty { b[position()] = UInt8(rng.below(256)) }
            b = Array(b.prefix(b.count - rng.below(max(1, b.count / 4))))
        }
        return Data(b)
    }

    static let cases = ["rle_s16", "rle_u8", "jpeg_lossless_p4_u16", "jpeg_lossless_p6_pt2_rst_u12", "jpeg_lossless_p1_rst_s16",
                        "jls_near2_u12", "jls_lossless_s16", "j2k_lossy_u12", "j2k_lossless_s16_jp2", "jpeg_baseline_u8"]

    @Test("300 mutations of each codec's stream: a clear error or a whole frame", arguments: cases)
    func mutations(_ name: String) throws {
        let c = try CodecFixtureTests.Case(name)
        var refused = 0
        for k in 0..<300 {
            let broken = Self.mutate(c.bytes, seed: UInt64(k) &* 7919 &+ UInt64(name.utf8.count))
            do {
                let values = try decodeCompressedFrame([broken], transferSyntax: c.syntax, frame: c.frame, file: "broken.dcm")
                #expect(values.count == c.frame.rows * c.frame.columns)
            } catch let error as ImageIOError {
                refused += 1
                let text = String(describing: error)
                #expect(text.hasPrefix("broken.dcm: "), "\(text)")
                #expect(text.contains(c.syntax), "the message names the transfer syntax: \(text)")
            }
        }
        #expect(refused > 0)
    }

    @Test("mutations of the real files' frames", .enabled(if: RealData.available, RealData.skipReason),
          arguments: ["MR_small_RLE.dcm", "MR_small_jp2klossless.dcm", "MR_small_jpeg_ls_lossless.dcm", "JPEG-LL.dcm"])
    func realMutations(_ name: String) throws {
        let reference = try #require(try RealData.reference("dicom").first { ($0["file"] as? String) == name })
        let syntax = try #require(reference["transfer_syntax"] as? String)
        let frame = CodecTestFile.frameInfo(reference)
        let encapsulated = try CodecTestFile.encapsulated(try Data(contentsOf: RealData.url("dicom/\(name)")))
        let bytes = encapsulated.frames(count: 1)[0].reduce(Data(), +)
        for k in 0..<(name == "JPEG-LL.dcm" ? 60 : 200) {
            let broken = Self.mutate(bytes, seed: UInt64(k) &+ 1_000)
            do {
                let values = try decodeCompressedFrame([broken], transferSyntax: syntax, frame: frame, file: name)
                #expect(values.count == frame.rows * frame.columns)
            } catch let error as ImageIOError {
                #expect(String(describing: error).contains(syntax))
            }
        }
    }

    @Test("a frame size different from the header's is refused before decoding")
    func wrongSize() throws {
        for name in ["rle_s16", "jpeg_lossless_p1_u16", "jls_near2_u12", "j2k_lossy_u12", "jpeg_baseline_u8"] {
            let c = try CodecFixtureTests.Case(name)
            let f = c.frame
            let other = DICOMFrameInfo(rows: f.rows + 1, columns: f.columns, bitsAllocated: f.bitsAllocated, bitsStored: f.bitsStored,
                                       pixelRepresentation: f.pixelRepresentation, samplesPerPixel: 1, photometric: f.photometric)
            #expect(throws: ImageIOError.self, "\(name)") {
                try decodeCompressedFrame([c.bytes], transferSyntax: c.syntax, frame: other, file: "x.dcm")
            }
        }
    }

    @Test("an empty frame is refused")
    func empty() throws {
        let c = try CodecFixtureTests.Case("rle_s16")
        #expect(throws: ImageIOError.self) {
            try decodeCompressedFrame([], transferSyntax: c.syntax, frame: c.frame, file: "x.dcm")
        }
    }
}

extension SplitMix64 {
    /// Uniform-ish in 0..<n by modulo (the tests only need variety, not exact uniformity).
    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
}
