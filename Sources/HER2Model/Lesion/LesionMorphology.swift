import Foundation
import Volumes

/// The few binary-mask operations the lesion stage needs, on a boolean grid with the Volume
/// layout (`i` fastest): an exact Euclidean distance transform in millimetres (from which
/// dilation, erosion and shells by a ball of any radius follow), connected components, hole
/// filling and a separable Gaussian.
///
/// Interim: the house puts morphology in `Volumes` (the prep branch); until it lands these
/// stay private to the lesion stage.
enum LesionMorphology {
    /// Squared Euclidean distance (mm²) from every voxel to the nearest voxel where `mask` is
    /// true (0 inside), on an anisotropic grid. Felzenszwalb & Huttenlocher, "Distance
    /// transforms of sampled functions", Theory of Computing 8 (2012): the 1-D lower envelope
    /// of parabolas f(q) + (s·(p − q))², applied along i, then j, then k.
    static func squaredDistance(to mask: [Bool], size: SIMD3<Int>, spacing: SIMD3<Double>) -> [Double] {
        let big = 1e20
        var d = mask.map { $0 ? 0.0 : big }
        let (nx, ny, nz) = (size.x, size.y, size.z)
        let strides = [1, nx, nx * ny]
        let counts = [nx, ny, nz]
        var f = [Double](), out = [Double](), v = [Int](), z = [Double]()
        for axis in 0..<3 {
            let n = counts[axis], stride = strides[axis], s2 = spacing[axis] * spacing[axis]
            f = [Double](repeating: 0, count: n)
            out = f
            v = [Int](repeating: 0, count: n)
            z = [Double](repeating: 0, count: n + 1)
            // Every line along `axis`: its start index runs over the other two axes.
            let others = (0..<3).filter { $0 != axis }
            for b in 0..<counts[others[1]] {
                for a in 0..<counts[others[0]] {
                    let start = a * strides[others[0]] + b * strides[others[1]]
                    for q in 0..<n { f[q] = d[start + q * stride] }
                    envelope(f, n: n, s2: s2, out: &out, v: &v, z: &z)
                    for q in 0..<n { d[start + q * stride] = out[q] }
                }
            }
        }
        return d
    }

    /// One line of the transform: out[p] = min_q f[q] + s2·(p − q)².
    private static func envelope(_ f: [Double], n: Int, s2: Double, out: inout [Double], v: inout [Int], z: inout [Double]) {
        var k = 0
        v[0] = 0
        z[0] = -.infinity
        z[1] = .infinity
        if n > 1 {
            for q in 1..<n {
                var s: Double
                repeat {
                    let r = v[k]
                    s = ((f[q] + s2 * Double(q * q)) - (f[r] + s2 * Double(r * r))) / (2 * s2 * Double(q - r))
                    if s <= z[k] { k -= 1 } else { break }
                } while k >= 0
                k += 1
                v[k] = q
                z[k] = s
                z[k + 1] = .infinity
            }
        }
        k = 0
        for q in 0..<n {
            while z[k + 1] < Double(q) { k += 1 }
            let r = v[k]
            out[q] = s2 * Double((q - r) * (q - r)) + f[r]
        }
    }

    /// Dilation by a ball of `radius` mm: voxels within `radius` of the mask.
    static func dilate(_ mask: [Bool], size: SIMD3<Int>, spacing: SIMD3<Double>, radius: Double) -> [Bool] {
        let r2 = radius * radius + 1e-9
        return squaredDistance(to: mask, size: size, spacing: spacing).map { $0 <= r2 }
    }

    /// Erosion by a ball of `radius` mm: voxels farther than `radius` from the outside.
    static func erode(_ mask: [Bool], size: SIMD3<Int>, spacing: SIMD3<Double>, radius: Double) -> [Bool] {
        let r2 = radius * radius + 1e-9
        return squaredDistance(to: mask.map { !$0 }, size: size, spacing: spacing).map { $0 > r2 }
    }

    /// Opening (erode then dilate) by a ball: removes parts thinner than the ball.
    static func open(_ mask: [Bool], size: SIMD3<Int>, spacing: SIMD3<Double>, radius: Double) -> [Bool] {
        dilate(erode(mask, size: size, spacing: spacing, radius: radius), size: size, spacing: spacing, radius: radius)
    }

    /// Closing (dilate then erode) by a ball: bridges gaps narrower than the ball.
    static func close(_ mask: [Bool], size: SIMD3<Int>, spacing: SIMD3<Double>, radius: Double) -> [Bool] {
        erode(dilate(mask, size: size, spacing: spacing, radius: radius), size: size, spacing: spacing, radius: radius)
    }

    /// The 26-connected component of `mask` that contains `seed` (empty when the seed is outside).
    static func component(of mask: [Bool], size: SIMD3<Int>, containing seed: Int) -> [Bool] {
        var out = [Bool](repeating: false, count: mask.count)
        guard mask[seed] else { return out }
        let (nx, ny, nz) = (size.x, size.y, size.z)
        var stack = [seed]
        out[seed] = true
        while let p = stack.popLast() {
            let i = p % nx, j = (p / nx) % ny, k = p / (nx * ny)
            for dk in -1...1 where k + dk >= 0 && k + dk < nz {
                for dj in -1...1 where j + dj >= 0 && j + dj < ny {
                    for di in -1...1 where i + di >= 0 && i + di < nx {
                        let q = (i + di) + nx * ((j + dj) + ny * (k + dk))
                        if mask[q] && !out[q] { out[q] = true; stack.append(q) }
                    }
                }
            }
        }
        return out
    }

    /// Fills cavities: background voxels not 6-connected to the grid's border become mask.
    static func fillHoles(_ mask: [Bool], size: SIMD3<Int>) -> [Bool] {
        let (nx, ny, nz) = (size.x, size.y, size.z)
        var outside = [Bool](repeating: false, count: mask.count)
        var stack: [Int] = []
        for k in 0..<nz {
            for j in 0..<ny {
                for i in 0..<nx where i == 0 || j == 0 || k == 0 || i == nx - 1 || j == ny - 1 || k == nz - 1 {
                    let p = i + nx * (j + ny * k)
                    if !mask[p] && !outside[p] { outside[p] = true; stack.append(p) }
                }
            }
        }
        while let p = stack.popLast() {
            let i = p % nx, j = (p / nx) % ny, k = p / (nx * ny)
            for (di, dj, dk) in [(-1, 0, 0), (1, 0, 0), (0, -1, 0), (0, 1, 0), (0, 0, -1), (0, 0, 1)] {
                let a = i + di, b = j + dj, c = k + dk
                guard a >= 0, b >= 0, c >= 0, a < nx, b < ny, c < nz else { continue }
                let q = a + nx * (b + ny * c)
                if !mask[q] && !outside[q] { outside[q] = true; stack.append(q) }
            }
        }
        return outside.map { !$0 }
    }

    /// Separable Gaussian smoothing with standard deviation `sigma` mm (kernel cut at 3σ,
    /// renormalised at the grid's edges).
    static func gaussian(_ x: [Float], size: SIMD3<Int>, spacing: SIMD3<Double>, sigma: Double) -> [Float] {
        var data = x
        let strides = [1, size.x, size.x * size.y]
        let counts = [size.x, size.y, size.z]
        for axis in 0..<3 {
            let s = sigma / spacing[axis]
            guard s > 0.2 else { continue }
            let r = Int((3 * s).rounded(.up))
            let kernel = (-r...r).map { Float(exp(-0.5 * Double($0 * $0) / (s * s))) }
            let n = counts[axis], stride = strides[axis]
            let others = (0..<3).filter { $0 != axis }
            var line = [Float](repeating: 0, count: n)
            for b in 0..<counts[others[1]] {
                for a in 0..<counts[others[0]] {
                    let start = a * strides[others[0]] + b * strides[others[1]]
                    for q in 0..<n { line[q] = data[start + q * stride] }
                    for q in 0..<n {
                        var sum: Float = 0, weight: Float = 0
                        for t in max(-r, -q)...min(r, n - 1 - q) {
                            let w = kernel[t + r]
                            sum += w * line[q + t]
                            weight += w
                        }
                        data[start + q * stride] = sum / weight
                    }
                }
            }
        }
        return data
    }
}

extension Volume {
    /// Phase 0 as a boolean mask (> 0.5 inside).
    var booleanMask: [Bool] { samples[0..<voxelsPerPhase].map { $0 > 0.5 } }

    /// A 0/1 volume on this grid from a boolean mask.
    func maskVolume(_ mask: [Bool]) -> Volume {
        precondition(mask.count == voxelsPerPhase)
        // Same grid as `self`, which was validated when made.
        return try! Volume(size: size, geometry: geometry, samples: mask.map { $0 ? 1 : 0 })
    }
}
