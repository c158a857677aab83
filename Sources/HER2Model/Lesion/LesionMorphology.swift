import Foundation
import Volumes

/// The binary-mask operations of the lesion stage on boolean grids (Volume layout, `i`
/// fastest), as thin adapters over `Volumes`' morphology: the exact distance transform (from
/// which dilation, erosion and shells by a ball of any radius follow), connected components
/// and hole filling. The separable Gaussian stays here until `Volumes` publishes smoothing.
enum LesionMorphology {
    /// Squared Euclidean distance (mm²) from every voxel to the nearest voxel where `mask` is
    /// true (0 inside; infinite when the mask is empty), by `Volumes.DistanceTransform`.
    static func squaredDistance(to mask: [Bool], size: SIMD3<Int>, spacing: SIMD3<Double>) -> [Double] {
        DistanceTransform.squaredDistances(size: size, spacing: spacing) { mask[$0] }
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
        guard mask[seed] else { return [Bool](repeating: false, count: mask.count) }
        // Size came from a validated volume.
        let volume = try! Volume(size: size, samples: mask.map { $0 ? 1 : 0 })
        let labels = ConnectedComponents(mask: volume, connectivity: .full).labels
        let label = labels[seed]
        return labels.map { $0 == label }
    }

    /// Fills cavities: background regions (6-connected) not reaching the grid's border.
    static func fillHoles(_ mask: [Bool], size: SIMD3<Int>) -> [Bool] {
        let volume = try! Volume(size: size, samples: mask.map { $0 ? 1 : 0 })
        return volume.filledHoles().samples.map { $0 > 0.5 }
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
