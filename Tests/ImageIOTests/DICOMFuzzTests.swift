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
        var read = 0, refused = 0, placed = 0
        for round in 0..<4000 {
            let (name, original) = seeds[round % seeds.count]
            var bytes = Self.mutate(original, &rng)
            if Int.random(in: 0..<4, using: &rng) == 0 { bytes = Self.mutate(bytes, &rng) }
            do {
                let path = "fuzz-\(round)-\(name)"
                let file = try DICOMReader.read(bytes, path: path, headerOnly: false)
                let summary = try DICOMSummary(file) // typed accessors on mutated values
                let broken = Self.violations(file, summary)
                if !broken.isEmpty { Issue.record("round \(round) (\(name)) read but: \(broken.joined(separator: "; "))") }
                // A file that places itself as a slice must give a usable grid.
                if file.hasPixelData, let candidates = try? DICOMSeries.candidates(of: file, url: URL(fileURLWithPath: path)),
                   let series = try? DICOMSeries(candidates: candidates, directory: "fuzz") {
                    let bad = Self.violations(series)
                    if !bad.isEmpty { Issue.record("round \(round) (\(name)) placed but: \(bad.joined(separator: "; "))") }
                    placed += 1
                }
                read += 1
            } catch is ImageIOError {
                refused += 1
            } catch {
                Issue.record("round \(round) (\(name)): \(type(of: error)) \(error)")
            }
        }
        #expect(read + refused == 4000)
        #expect(read > 100 && refused > 100 && placed > 100, "read \(read), refused \(refused), placed \(placed)")
    }

    /// What a successful read promises: as many stored values as rows × columns × frames, each
    /// within the range Bits Stored and Pixel Representation allow, and finite geometry
    /// attributes (no NaN or infinity in spacing, thickness, position or orientation).
    static func violations(_ file: DICOMFile, _ summary: DICOMSummary) -> [String] {
        var bad: [String] = []
        if let p = file.pixels {
            if p.rows < 1 || p.columns < 1 || p.frames < 1 { bad.append("empty grid \(p.rows) × \(p.columns) × \(p.frames)") }
            if p.storedValues.count != p.rows * p.columns * p.frames {
                bad.append("\(p.storedValues.count) samples for \(p.rows) × \(p.columns) × \(p.frames)")
            }
            let bits = max(1, min(p.bitsStored, 32))
            let (lo, hi): (Int64, Int64) = p.pixelRepresentation == 1 ? (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) : (0, (1 << bits) - 1)
            if let v = p.storedValues.first(where: { Int64($0) < lo || Int64($0) > hi }) {
                bad.append("stored value \(v) outside \(lo)...\(hi) for \(p.bitsStored) bits stored")
            }
            if !p.rescaleSlope.isFinite || !p.rescaleIntercept.isFinite { bad.append("rescale \(p.rescaleSlope), \(p.rescaleIntercept)") }
        } else if file.hasPixelData {
            bad.append("pixel data present but not decoded")
        }
        let geometry = (summary.pixelSpacing ?? []) + (summary.imagePositionPatient ?? []) + (summary.imageOrientationPatient ?? [])
            + [summary.sliceThickness].compactMap { $0 }
        if geometry.contains(where: { !$0.isFinite }) { bad.append("non-finite geometry \(geometry)") }
        return bad
    }

    /// A placed slice's grid: positive finite spacing, finite origin, unit direction columns.
    static func violations(_ series: DICOMSeries) -> [String] {
        let g = series.geometry
        var bad: [String] = []
        for c in 0..<3 {
            if !(g.spacing[c].isFinite && g.spacing[c] > 0) { bad.append("spacing \(g.spacing)") }
            if !g.origin[c].isFinite { bad.append("origin \(g.origin)") }
            let norm = (0..<3).reduce(0.0) { $0 + g.direction[$1, c] * g.direction[$1, c] }
            if !(abs(norm - 1) < 1e-3) { bad.append("direction column \(c) of length² \(norm)") }
        }
        if series.rows < 1 || series.columns < 1 || series.slices.isEmpty { bad.append("empty series") }
        return bad
    }

    /// Broken variants that "no crash" accepted and the invariants refuse: a pixel array one
    /// sample short, a value above Bits Stored, and a NaN or infinite Pixel Spacing.
    @Test func invariantsCatchBrokenReads() throws {
        let bytes = [UInt8](try Data(contentsOf: RealData.url("dicom/MR_small.dcm")))
        let file = try DICOMReader.read(bytes, path: "MR_small.dcm", headerOnly: false)
        let summary = try DICOMSummary(file)
        #expect(Self.violations(file, summary).isEmpty)
        let p = try #require(file.pixels)
        func with(_ values: [Int32]) -> DICOMFile {
            DICOMFile(path: file.path, meta: file.meta, dataSet: file.dataSet, transferSyntax: file.transferSyntax,
                      hasPixelData: true, pixels: DICOMPixels(rows: p.rows, columns: p.columns, frames: p.frames,
                      bitsAllocated: p.bitsAllocated, bitsStored: p.bitsStored, pixelRepresentation: p.pixelRepresentation,
                      photometric: p.photometric, rescaleSlope: p.rescaleSlope, rescaleIntercept: p.rescaleIntercept,
                      storedValues: values), pixelDataBytes: file.pixelDataBytes)
        }
        #expect(!Self.violations(with(Array(p.storedValues.dropLast())), summary).isEmpty)
        #expect(!Self.violations(with(p.storedValues.map { $0 == p.storedValues[0] ? 1 << 20 : $0 }), summary).isEmpty)
        // Pixel Spacing "0.3125\\0.3125" (13 bytes) rewritten in place: the reader must refuse a
        // non-finite spacing, or the invariant catches it.
        for replacement in ["NaN\\0.3125   ", "1e999\\0.3125 "] {
            let old = Array("0.3125\\0.3125".utf8), new = Array(replacement.utf8)
            #expect(old.count == new.count)
            guard let at = (0...(bytes.count - old.count)).first(where: { Array(bytes[$0..<($0 + old.count)]) == old }) else {
                Issue.record("Pixel Spacing not found in MR_small.dcm"); continue
            }
            var mutated = bytes
            mutated.replaceSubrange(at..<(at + old.count), with: new)
            do {
                let f = try DICOMReader.read(mutated, path: "spacing.dcm", headerOnly: false)
                #expect(!Self.violations(f, try DICOMSummary(f)).isEmpty, "\(replacement) read as \(String(describing: try? DICOMSummary(f).pixelSpacing))")
            } catch is ImageIOError {
                // Refused: also fine.
            }
        }
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
