/// The exact Euclidean distance transform of a binary grid on an anisotropic voxel lattice.
///
/// Felzenszwalb & Huttenlocher, "Distance Transforms of Sampled Functions", Theory of Computing
/// 8 (2012): the squared distance is separable, d²(p) = min_q f(q) + Σ_axis (s_axis (p − q)_axis)²,
/// and each 1-D pass is the lower envelope of parabolas, O(n) per line. Spacing enters each
/// pass as the weight s² of its axis, so the distances are in mm on any grid.
public enum DistanceTransform {
    /// Squared distance (mm²) from every voxel centre to the nearest voxel where `isFeature`
    /// is true (0 on those voxels); `.infinity` everywhere when there is no feature voxel.
    /// Voxels outside the grid are never features.
    public static func squaredDistances(size: SIMD3<Int>, spacing: SIMD3<Double>,
                                        isFeature: (Int) -> Bool) -> [Double] {
        let nx = size.x, ny = size.y, nz = size.z
        let n = nx * ny * nz
        // A large finite value stands for "no feature yet" so the envelope arithmetic stays finite.
        let far = 1e30
        var d = [Double](repeating: far, count: n)
        var any = false
        for v in 0..<n where isFeature(v) { d[v] = 0; any = true }
        guard any else { return [Double](repeating: .infinity, count: n) }
        let longest = max(nx, ny, nz)
        var f = [Double](repeating: 0, count: longest)
        var out = [Double](repeating: 0, count: longest)
        var v = [Int](repeating: 0, count: longest)
        var z = [Double](repeating: 0, count: longest + 1)
        d.withUnsafeMutableBufferPointer { d in
            for (axis, count, stride) in [(0, nx, 1), (1, ny, nx), (2, nz, nx * ny)] {
                let w = spacing[axis] * spacing[axis]
                let lines = n / count
                for line in 0..<lines {
                    // The first element of the line: the index with the axis coordinate removed.
                    let start: Int
                    switch axis {
                    case 0: start = line * nx
                    case 1: start = (line / nx) * nx * ny + line % nx
                    default: start = line
                    }
                    for q in 0..<count { f[q] = d[start + q * stride] }
                    envelope(f: f, count: count, weight: w, far: far, v: &v, z: &z, out: &out)
                    for q in 0..<count { d[start + q * stride] = out[q] }
                }
            }
        }
        return d
    }

    /// One 1-D pass: out(p) = min_q f(q) + w (p − q)² (Felzenszwalb & Huttenlocher, Algorithm 1).
    @inline(__always)
    static func envelope(f: [Double], count: Int, weight w: Double, far: Double,
                         v: inout [Int], z: inout [Double], out: inout [Double]) {
        var k = 0
        v[0] = 0
        z[0] = -.infinity
        z[1] = .infinity
        if count > 1 {
            for q in 1..<count {
                var s: Double
                repeat {
                    let p = v[k]
                    s = ((f[q] + w * Double(q * q)) - (f[p] + w * Double(p * p))) / (2 * w * Double(q - p))
                    if s <= z[k] { k -= 1 } else { break }
                } while k >= 0
                k += 1
                v[k] = q
                z[k] = s
                z[k + 1] = .infinity
            }
        }
        k = 0
        for q in 0..<count {
            while z[k + 1] < Double(q) { k += 1 }
            let dq = Double(q - v[k])
            out[q] = min(far, w * dq * dq + f[v[k]])
        }
    }
}
