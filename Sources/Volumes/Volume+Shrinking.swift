/// Shrinking a grid by an integer factor for a multi-resolution pyramid.
///
/// Each output voxel is the mean of an f × f × f block of input voxels (partial blocks at the
/// far edges are dropped; an axis shorter than f keeps one voxel averaging what it has). The
/// output voxel centre is the centre of its block, so the grid keeps its place in the world:
/// spacing′ = f · spacing, origin′ = origin + direction · spacing · (f − 1)/2.
/// ITK's ShrinkImageFilter subsamples instead; block means add a box filter of width f, which a
/// pyramid level smoothed anyway does not mind, and avoid aliasing when σ is small.
extension Volume {
    /// This volume with every axis shrunk by `factor` (1: a copy). Every phase is shrunk.
    public func shrunk(by factor: Int) -> Volume {
        shrunk(by: SIMD3(repeating: factor))
    }

    /// This volume with axis i, j, k shrunk by `factors` x, y, z (all 1: a copy).
    public func shrunk(by factors: SIMD3<Int>) -> Volume {
        precondition(factors.min() >= 1, "shrink factors must be ≥ 1")
        guard factors.max() > 1 else { return self }
        let f = pointwiseMin(factors, size)
        let out = SIMD3(size.x / f.x, size.y / f.y, size.z / f.z)
        var g = geometry
        let shift = SIMD3(Double(f.x - 1), Double(f.y - 1), Double(f.z - 1)) / 2
        g.origin = geometry.world(ofIndex: shift)
        g.spacing = geometry.spacing * SIMD3(Double(f.x), Double(f.y), Double(f.z))
        let n = size.x * size.y * size.z, m = out.x * out.y * out.z
        var result = [Float](repeating: 0, count: m * phases)
        let norm = 1 / Float(f.x * f.y * f.z)
        samples.withUnsafeBufferPointer { s in
            result.withUnsafeMutableBufferPointer { r in
                for t in 0..<phases {
                    let src = s.baseAddress! + t * n, dst = r.baseAddress! + t * m
                    for k in 0..<out.z {
                        for dk in 0..<f.z {
                            for j in 0..<out.y {
                                let orow = dst + out.x * (j + out.y * k)
                                for dj in 0..<f.y {
                                    let irow = src + size.x * (j * f.y + dj + size.y * (k * f.z + dk))
                                    for i in 0..<out.x {
                                        var acc: Float = 0
                                        for di in 0..<f.x { acc += irow[i * f.x + di] }
                                        orow[i] += acc
                                    }
                                }
                            }
                        }
                    }
                    for v in 0..<m { dst[v] *= norm }
                }
            }
        }
        // The shrunk grid of a valid grid is valid.
        return try! Volume(size: out, phases: phases, geometry: g, samples: result)
    }
}
