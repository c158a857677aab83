import Foundation
@testable import ImageIO

/// Test-only access to the encapsulated pixel data of a DICOM file, so the codecs can be tested
/// before (and independently of) the DICOM parser: finds the last (7FE0,0010) element with VR OB
/// or OW and undefined length, reads its items (PS3.5 A.4) and groups the fragments into frames by
/// the Basic Offset Table, or one fragment per frame, or all fragments for a single frame.
enum CodecTestFile {
    struct Encapsulated {
        let offsetTable: [Int]
        let fragments: [Data]
        /// Byte offset of each fragment's item tag, relative to the first fragment (as the BOT counts).
        let fragmentOffsets: [Int]

        func frames(count: Int) -> [[Data]] {
            if !offsetTable.isEmpty {
                return offsetTable.indices.map { f in
                    let start = offsetTable[f]
                    let end = f + 1 < offsetTable.count ? offsetTable[f + 1] : Int.max
                    return zip(fragmentOffsets, fragments).filter { $0.0 >= start && $0.0 < end }.map(\.1)
                }
            }
            if count == 1 { return [fragments] }
            return fragments.map { [$0] }
        }
    }

    enum Fault: Error { case noEncapsulatedPixelData, badItem(Int) }

    static func encapsulated(_ data: Data) throws -> Encapsulated {
        let b = [UInt8](data)
        func u16(_ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
        func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }
        var start: Int?
        var i = b.count - 12
        while i >= 0 {
            if b[i] == 0xE0, b[i + 1] == 0x7F, b[i + 2] == 0x10, b[i + 3] == 0x00, b[i + 4] == 0x4F,
               b[i + 5] == 0x42 || b[i + 5] == 0x57, b[i + 6] == 0, b[i + 7] == 0, u32(i + 8) == 0xFFFF_FFFF {
                start = i + 12
                break
            }
            i -= 1
        }
        guard var p = start else { throw Fault.noEncapsulatedPixelData }
        var items: [(Int, Data)] = []
        while p + 8 <= b.count {
            guard u16(p) == 0xFFFE else { throw Fault.badItem(p) }
            if u16(p + 2) == 0xE0DD { break }
            guard u16(p + 2) == 0xE000 else { throw Fault.badItem(p) }
            let length = u32(p + 4)
            guard p + 8 + length <= b.count else { throw Fault.badItem(p) }
            items.append((p, data.subdata(in: (p + 8)..<(p + 8 + length))))
            p += 8 + length
        }
        guard let table = items.first else { throw Fault.badItem(p) }
        let bot = stride(from: 0, to: table.1.count - 3, by: 4).map { k -> Int in
            let t = [UInt8](table.1)
            return Int(t[k]) | Int(t[k + 1]) << 8 | Int(t[k + 2]) << 16 | Int(t[k + 3]) << 24
        }
        let first = items.count > 1 ? items[1].0 : 0
        return Encapsulated(offsetTable: bot, fragments: items.dropFirst().map(\.1),
                            fragmentOffsets: items.dropFirst().map { $0.0 - first })
    }

    /// The frame description from a reference object of `reference/dicom.json`.
    static func frameInfo(_ reference: [String: Any]) -> DICOMFrameInfo {
        func int(_ key: String) -> Int { Int((reference[key] as? Double) ?? 0) }
        return DICOMFrameInfo(rows: int("rows"), columns: int("columns"), bitsAllocated: int("bits_allocated"),
                              bitsStored: int("bits_stored"), pixelRepresentation: int("pixel_representation"),
                              samplesPerPixel: int("samples_per_pixel"),
                              photometric: (reference["photometric"] as? String) ?? "MONOCHROME2")
    }

    /// Sum / min / max / mean of values, as the reference files give them.
    struct Statistics: Equatable, CustomStringConvertible {
        let sum: Double
        let min: Double
        let max: Double
        let mean: Double

        init(_ values: [Int32]) {
            var s = 0.0, lo = Double.infinity, hi = -Double.infinity
            for v in values {
                let d = Double(v)
                s += d
                lo = Swift.min(lo, d)
                hi = Swift.max(hi, d)
            }
            sum = s
            min = lo
            max = hi
            mean = values.isEmpty ? 0 : s / Double(values.count)
        }

        var description: String { "sum \(sum) min \(min) max \(max) mean \(mean)" }
    }
}
