import Support
/// Smooth deterministic 3-D noise (lattice value noise with smoothstep interpolation), the
/// texture of fibroglandular tissue, tumour heterogeneity, lobulation and bias fields.
/// Values lie in [−1, 1]; `scale` is the lattice spacing in millimetres.
struct ValueNoise: Sendable {
    let seed: UInt64

    /// Noise at world point `p` with lattice spacing `scale` mm.
    func value(_ p: SIMD3<Double>, scale: Double) -> Double {
        let q = p / scale
        let f = SIMD3(q.x.rounded(.down), q.y.rounded(.down), q.z.rounded(.down))
        let t = q - f
        let s = t * t * (3 - 2 * t)
        let (ix, iy, iz) = (Int64(f.x), Int64(f.y), Int64(f.z))
        var acc = 0.0
        for dz in 0...1 {
            let wz = dz == 0 ? 1 - s.z : s.z
            for dy in 0...1 {
                let wy = dy == 0 ? 1 - s.y : s.y
                for dx in 0...1 {
                    let wx = dx == 0 ? 1 - s.x : s.x
                    acc += wx * wy * wz * lattice(ix + Int64(dx), iy + Int64(dy), iz + Int64(dz))
                }
            }
        }
        return acc
    }

    /// Sum of `octaves` layers, each half the scale and half the amplitude, normalised to [−1, 1].
    func fractal(_ p: SIMD3<Double>, scale: Double, octaves: Int) -> Double {
        var total = 0.0, amplitude = 1.0, norm = 0.0, s = scale
        for _ in 0..<octaves {
            total += amplitude * value(p, scale: s)
            norm += amplitude
            amplitude *= 0.5
            s *= 0.5
        }
        return total / norm
    }

    @inline(__always)
    private func lattice(_ x: Int64, _ y: Int64, _ z: Int64) -> Double {
        var h = seed
        h = SplitMix64.mix(h ^ UInt64(bitPattern: x &* 0x1F1F_1F1F))
        h = SplitMix64.mix(h ^ UInt64(bitPattern: y &* 0x3C6E_F372))
        h = SplitMix64.mix(h ^ UInt64(bitPattern: z &* 0x5BD1_E995))
        return Double(h >> 11) * 0x1.0p-52 - 1
    }
}
