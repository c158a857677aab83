import Foundation
import Support
import LinearAlgebra
import Testing
import Volumes
@testable import ImageIO

/// Thousands of mutated files (seeded): every one reads or throws `ImageIOError` — no crash, no
/// hang, no giant allocation.
@Suite struct NIfTIFuzzTests {
    typealias S = NIfTITestSupport

    /// Header fields worth hitting, (offset, width) for each layout.
    static let nifti1Fields: [(Int, Int)] = {
        var f: [(Int, Int)] = [(0, 4), (70, 2), (72, 2), (108, 4), (112, 4), (116, 4), (252, 2), (254, 2), (344, 4)]
        for i in 0..<8 { f.append((40 + 2 * i, 2)) }
        for i in 0..<8 { f.append((76 + 4 * i, 4)) }
        for i in 0..<18 { f.append((256 + 4 * i, 4)) }
        return f
    }()
    static let nifti2Fields: [(Int, Int)] = {
        var f: [(Int, Int)] = [(0, 4), (4, 4), (8, 4), (12, 2), (14, 2), (168, 8), (176, 8), (184, 8), (344, 4), (348, 4)]
        for i in 0..<8 { f.append((16 + 8 * i, 8)) }
        for i in 0..<8 { f.append((104 + 8 * i, 8)) }
        for i in 0..<18 { f.append((352 + 8 * i, 8)) }
        return f
    }()

    /// Values that break parsers: zeros, ones, extremes, NaN / infinity bit patterns, random.
    static func interesting(width: Int, using rng: inout SplitMix64) -> UInt64 {
        let floatLike: [UInt64] = width == 8
            ? [Double.nan.bitPattern, Double.infinity.bitPattern, (-1.0).bitPattern, 1e300.bitPattern, (0.0).bitPattern]
            : width == 4 ? [UInt64(Float.nan.bitPattern), UInt64(Float.infinity.bitPattern), UInt64((-1.0 as Float).bitPattern),
                            UInt64((1e30 as Float).bitPattern), UInt64((3e9 as Float).bitPattern)] : []
        let mask: UInt64 = width == 8 ? .max : (1 << (8 * UInt64(width))) - 1
        let choices: [UInt64] = [0, 1, 2, 3, 4, 5, 7, 8, 255, 256, 348, 352, 540, 544, mask, mask >> 1, (mask >> 1) + 1,
                                 UInt64.random(in: 0...mask, using: &rng), UInt64.random(in: 0...1000, using: &rng)] + floatLike
        return choices.randomElement(using: &rng)! & mask
    }

    static func mutate(_ original: [UInt8], using rng: inout SplitMix64) -> (bytes: [UInt8], gzip: Bool) {
        var bytes = original
        let isNifti2 = bytes.count >= 4 && (bytes[0] == 0x1C || bytes[3] == 0x1C) // 540 = 0x21C
        let headerEnd = Swift.min(bytes.count, isNifti2 ? 544 : 352)
        let bigEndian = bytes.count >= 4 && bytes[0] == 0
        switch Int.random(in: 0..<10, using: &rng) {
        case 0, 1: // flip bytes in the header
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                bytes[Int.random(in: 0..<headerEnd, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
            }
        case 2: // truncate
            bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &rng)))
        case 3, 4, 5, 6: // one or more header fields set to awkward values
            let fields = isNifti2 ? nifti2Fields : nifti1Fields
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let (offset, width) = fields.randomElement(using: &rng)!
                let value = interesting(width: width, using: &rng)
                for i in 0..<width {
                    let shift = bigEndian ? 8 * (width - 1 - i) : 8 * i
                    bytes[offset + i] = UInt8(truncatingIfNeeded: value >> UInt64(shift))
                }
            }
        case 7: // random bytes anywhere
            for _ in 0..<Int.random(in: 1...16, using: &rng) {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
        default: // gzip, then maybe damage the compressed stream
            var gz = [UInt8]((try? Zlib.deflate(Data(bytes), framing: .gzipOrZlib)) ?? Data())
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: gz = Array(gz.prefix(Int.random(in: 0..<gz.count, using: &rng)))
            case 1: gz[Int.random(in: 0..<gz.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
            default: break
            }
            return (gz, true)
        }
        return (bytes, false)
    }

    /// The seeds: the writer's own files and every single-file nibabel case, uncompressed.
    static func seeds() throws -> [[UInt8]] {
        let geometry = Geometry(spacing: SIMD3(0.8, 0.9, 2), origin: SIMD3(1, 2, 3))
        let v3 = try Volume(size: SIMD3(6, 5, 4), geometry: geometry, samples: (0..<120).map { Float($0) - 7 })
        let v4 = try Volume(size: SIMD3(3, 4, 2), phases: 3, geometry: geometry, samples: (0..<72).map { Float($0) / 3 })
        var seeds = [
            [UInt8](try NIfTIWriter.encode(v3, datatype: .int16, sclSlope: 0.5, sclInter: 2, description: "", file: "s")),
            [UInt8](try NIfTIWriter.encode(v4, datatype: .float32, sclSlope: 1, sclInter: 0, description: "", file: "s")),
        ]
        for c in S.generated.cases where c.files.count == 1 {
            var data = try #require(Data(base64Encoded: c.files[c.name] ?? ""))
            if data.prefix(2) == Data([0x1f, 0x8b]) {
                data = try Zlib.inflate(data, framing: .gzipOrZlib, limit: 1 << 24, file: c.name)
            }
            seeds.append([UInt8](data))
        }
        return seeds
    }

    @Test func mutatedFilesReadOrFailCleanly() throws {
        let folder = try S.scratchFolder("fuzz")
        defer { try? FileManager.default.removeItem(at: folder) }
        let seeds = try Self.seeds()
        var rng = SplitMix64(seed: 20_261_126)
        let perSeed = 500
        var read = 0, refused = 0
        var kinds: [String: Int] = [:]
        for (s, seed) in seeds.enumerated() {
            for n in 0..<perSeed {
                let (bytes, gzip) = Self.mutate(seed, using: &rng)
                let url = folder.appendingPathComponent("m\(s)-\(n).nii" + (gzip ? ".gz" : ""))
                // Every mutation through the reader's byte path; every tenth also from disk.
                let onDisk = n % 10 == 0
                if onDisk { try Data(bytes).write(to: url) }
                do {
                    let image = onDisk ? try NIfTIReader.read(contentsOf: url)
                        : try NIfTIReader.image(fileBytes: Data(bytes), url: url)
                    #expect(image.volume.samples.count == image.header.voxelCount)
                    read += 1
                } catch let error as ImageIOError {
                    refused += 1
                    kinds[String(String(describing: error).dropFirst(url.path.count + 2).prefix(12)), default: 0] += 1
                    #expect(String(describing: error).hasPrefix(url.path))
                } catch {
                    Issue.record("\(url.lastPathComponent): not an ImageIOError: \(error)")
                }
                do { _ = try NIfTISummary(fileBytes: Data(bytes), url: url) } catch is ImageIOError {} catch {
                    Issue.record("\(url.lastPathComponent): summary threw \(error)")
                }
                if onDisk {
                    #expect(Inspection.inspect(url).json().hasPrefix("{"))
                    try FileManager.default.removeItem(at: url)
                }
            }
        }
        let total = seeds.count * perSeed
        #expect(total >= 7000)
        #expect(read + refused == total)
        #expect(read > total / 20 && refused > total / 4, "read \(read), refused \(refused): \(kinds)")
        print("NIfTI fuzz: \(total) mutated files, \(read) read, \(refused) refused: \(kinds.sorted { $0.key < $1.key })")
        // No giant allocation: the whole process stayed far below the 4 GiB payload limit.
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #expect(usage.ru_maxrss < 2 << 20, "max resident \(usage.ru_maxrss) KiB") // KiB on Linux
    }
}
