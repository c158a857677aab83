// CodecBench: the JPEG 2000 decoding benchmark behind tools/bench_j2k.sh (not a test).
//
//   CodecBench generate DIR [phases slices size]   write a synthetic DCE series as 12-bit PGMs
//   CodecBench decode DIR                          decode every DIR/*.j2k with ImageIO, print MB/s
//
// MB/s counts decoded output: rows × columns × 2 bytes per frame, 1 MB = 10^6 bytes.
import Foundation
import Support
import ImageIO

/// A deterministic generator (SplitMix64) with Gaussian draws (Box–Muller).
struct Noise {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) / Double(1 << 53) }
    mutating func gaussian() -> Double { (-2 * log(uniform())).squareRoot() * cos(2 * .pi * uniform()) }
}

/// One slice of a breast-DCE-like phantom: two breasts (ellipses of fibroglandular texture in
/// fat), a chest wall, a lesion whose enhancement follows a type-II curve over the phases,
/// Rician-like background noise; 12-bit values.
func slice(phase: Int, z: Int, slices: Int, size: Int, noise: inout Noise) -> [UInt16] {
    var out = [UInt16](repeating: 0, count: size * size)
    let s = Double(size)
    let zc = (Double(z) / Double(max(1, slices - 1)) - 0.5) * 2 // -1 … 1
    let enhancement = [0.0, 0.9, 1.25, 1.4, 1.45, 1.47][min(phase, 5)]
    for y in 0..<size {
        let v = Double(y) / s
        for x in 0..<size {
            let u = Double(x) / s
            var value = 40.0
            if v > 0.72 { value = 700 + 200 * sin(u * 9) } // chest wall / muscle
            for cx in [0.28, 0.72] {
                let dx = (u - cx) / 0.21, dy = (v - 0.45) / (0.3 * (1 - 0.4 * zc * zc))
                let r2 = dx * dx + dy * dy
                if r2 < 1 {
                    let texture = 0.5 + 0.5 * sin(u * 37 + sin(v * 23) * 2 + zc * 3) * cos(v * 29 - u * 11)
                    value = 1500 + 900 * texture * (1 - r2) // fat bright, glandular darker (T1)
                }
            }
            let lx = (u - 0.3) / 0.035, ly = (v - 0.4) / 0.03, lz = zc / 0.15
            let l2 = lx * lx + ly * ly + lz * lz
            if l2 < 1 { value += 1400 * enhancement * (1 - l2 * 0.5) }
            value += 18 * noise.gaussian()
            out[y * size + x] = UInt16(max(0, min(4095, value.rounded())))
        }
    }
    return out
}

func generate(_ dir: URL, phases: Int, slices: Int, size: Int) throws {
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    var noise = Noise(state: 20_261_126)
    for p in 0..<phases {
        for z in 0..<slices {
            let pixels = slice(phase: p, z: z, slices: slices, size: size, noise: &noise)
            var data = Data("P5\n\(size) \(size)\n4095\n".utf8)
            data.reserveCapacity(data.count + 2 * pixels.count)
            for v in pixels { data.append(UInt8(v >> 8)); data.append(UInt8(v & 0xFF)) }
            try data.write(to: dir.appendingPathComponent(String(format: "p%d_s%03d.pgm", p, z)))
        }
    }
}

func decode(_ dir: URL) throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".j2k") }.sorted()
    guard !names.isEmpty else { throw CocoaError(.fileNoSuchFile) }
    let start = Date()
    var bytesOut = 0
    var checksum = 0
    var compressed = 0
    for name in names {
        let url = dir.appendingPathComponent(name)
        let bytes = try Data(contentsOf: url)
        compressed += bytes.count
        let values = try CodecFrameDecoder.decode(bytes, transferSyntax: "1.2.840.10008.1.2.4.90", rows: 512, columns: 512,
                                                  bitsAllocated: 16, bitsStored: 12, signed: false, file: url.path)
        bytesOut += values.count * 2
        checksum &+= Int(values[values.count / 2])
    }
    let seconds = Date().timeIntervalSince(start)
    let mb = Double(bytesOut) / 1e6
    print(String(format: "ours: %d frames, %.1f MB decoded (%.1f MB compressed) in %.2f s = %.1f MB/s (checksum %d)",
                 names.count, mb, Double(compressed) / 1e6, seconds, mb / seconds, checksum))
}

let arguments = CommandLine.arguments
do {
    switch arguments.count > 2 ? arguments[1] : "" {
    case "generate":
        let numbers = arguments.dropFirst(3).compactMap { Int($0) }
        try generate(URL(fileURLWithPath: arguments[2]), phases: numbers.count > 0 ? numbers[0] : 6,
                     slices: numbers.count > 1 ? numbers[1] : 160, size: numbers.count > 2 ? numbers[2] : 512)
    case "decode":
        try decode(URL(fileURLWithPath: arguments[2]))
    default:
        print("usage: CodecBench generate DIR [phases slices size] | CodecBench decode DIR")
        exit(64)
    }
} catch {
    FileHandle.standardError.write(Data("CodecBench: \(error)\n".utf8))
    exit(1)
}
