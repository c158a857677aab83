import Foundation
import Support
import LinearAlgebra
import Testing
@testable import ImageIO

/// Mutated real files fed to the reader: every one either reads or throws `ImageIOError` —
/// no crash, no hang, no other error. Allocation is bounded because every length is checked
/// against the bytes left and `ImageIOLimits` before use.
@Suite(.enabled(if: RealData.available, RealData.skipReason))
struct DICOMFuzzTests {
    static func seeds() throws -> [(String, [UInt8])] {
        var out: [(String, [UInt8])] = []
        for name in ["MR_small.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_jp2klossless.dcm",
                     "emri_small.dcm", "MR_small_RLE.dcm", "badVR.dcm"] {
            out.append((name, [UInt8](try Data(contentsOf: RealData.url("dicom/\(name)")))))
        }
        out.append(("deflated", try DICOMBytes.deflatedMRSmall()))
        return out
    }

    /// One mutation: byte flips (mostly in the header), a truncation, a length field
    /// overwritten with an extreme value, or a chunk removed or duplicated.
    static func mutate(_ original: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var b = original
        let headerEnd = min(b.count, 2048)
        func position(headerBias: Bool = true) -> Int {
            headerBias && Int.random(in: 0..<10, using: &rng) < 8 ? Int.random(in: 0..<headerEnd, using: &rng)
                                                                 : Int.random(in: 0..<b.count, using: &rng)
        }
        switch Int.random(in: 0..<5, using: &rng) {
        case 0:
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                b[position()] ^= UInt8.random(in: 1...255, using: &rng)
            }
        case 1:
            b = Array(b.prefix(Int.random(in: 0..<b.count, using: &rng)))
        case 2:
            let extremes: [UInt32] = [0xFFFF_FFFF, 0xFFFF_FFFE, 0x7FFF_FFFF, 0x8000_0000, 0, 1, 0xFFFF, 0x1_0000,
                                      UInt32.random(in: 0...UInt32.max, using: &rng), UInt32.random(in: 0...4096, using: &rng)]
            let v = extremes.randomElement(using: &rng) ?? 0
            let at = position() & ~1
            let width = Bool.random(using: &rng) ? 2 : 4
            for k in 0..<width where at + k < b.count { b[at + k] = UInt8(v >> (8 * UInt32(k)) & 0xFF) }
        case 3:
            let at = position()
            let n = Int.random(in: 1...64, using: &rng)
            b.removeSubrange(at..<min(b.count, at + n))
        default:
            let at = position()
            let n = min(Int.random(in: 1...64, using: &rng), b.count - at)
            b.insert(contentsOf: b[at..<(at + n)], at: at)
        }
        return b
    }

    @Test func mutatedFilesReadOrFailCleanly() throws {
        var rng = SplitMix64(seed: 20_261_126)
        let seeds = try Self.seeds()
        var read = 0, refused = 0
        for round in 0..<4000 {
            let (name, original) = seeds[round % seeds.count]
            var bytes = Self.mutate(original, &rng)
            if Int.random(in: 0..<4, using: &rng) == 0 { bytes = Self.mutate(bytes, &rng) }
            do {
                let file = try DICOMReader.read(bytes, path: "fuzz-\(round)-\(name)", headerOnly: false)
                _ = try DICOMSummary(file) // typed accessors on mutated values
                read += 1
            } catch is ImageIOError {
                refused += 1
            } catch {
                Issue.record("round \(round) (\(name)): \(type(of: error)) \(error)")
            }
        }
        #expect(read + refused == 4000)
        #expect(read > 100 && refused > 100, "read \(read), refused \(refused)")
    }

    /// Mutated Enhanced MR and character-set fixtures through the per-frame attributes, the
    /// series checks (in memory) and the identifiers: read or `ImageIOError`, nothing else.
    @Test(.timeLimit(.minutes(2)))
    func mutatedEnhancedAndCharsetFilesFailCleanly() throws {
        var rng = SplitMix64(seed: 20_261_127)
        let names = ["enhanced_oblique.dcm", "enhanced_oblique_implicit.dcm", "enhanced_oblique_big_endian.dcm",
                     "enhanced_dce.dcm", "charset_iso2022_ir126.dcm", "charset_utf8_groups.dcm", "charset_greek.dcm"]
        let seeds = try names.map { ($0, [UInt8](try Data(contentsOf: DICOMFixtures.url($0)))) }
        var read = 0, refused = 0
        for round in 0..<3000 {
            let (name, original) = seeds[round % seeds.count]
            var bytes = Self.mutate(original, &rng)
            if Int.random(in: 0..<4, using: &rng) == 0 { bytes = Self.mutate(bytes, &rng) }
            let path = "fuzz-\(round)-\(name)"
            do {
                let file = try DICOMReader.read(bytes, path: path, headerOnly: Bool.random(using: &rng))
                _ = try DICOMStudyIdentifiers(file.dataSet)
                if file.hasPixelData {
                    let candidates = try DICOMSeries.candidates(of: file, url: URL(fileURLWithPath: path))
                    _ = try DICOMSeries(candidates: candidates, directory: "fuzz")
                }
                read += 1
            } catch is ImageIOError {
                refused += 1
            } catch {
                Issue.record("round \(round) (\(name)): \(type(of: error)) \(error)")
            }
        }
        #expect(read + refused == 3000)
        #expect(read > 100 && refused > 100, "read \(read), refused \(refused)")
    }

    @Test func everyTruncationOfAHeaderFailsCleanly() throws {
        let original = [UInt8](try Data(contentsOf: RealData.url("dicom/MR_small_implicit.dcm")))
        for cut in stride(from: 0, to: 1600, by: 1) {
            do {
                _ = try DICOMReader.read(Array(original.prefix(cut)), path: "cut-\(cut)", headerOnly: false)
            } catch is ImageIOError {
            } catch {
                Issue.record("cut at \(cut): \(error)")
            }
        }
    }
}
