/// Measures of a binary mask (voxels > 0.5 are inside).
extension Volume {
    /// Voxels inside the mask in phase 0.
    public var maskVoxelCount: Int {
        var n = 0
        for v in samples[0..<voxelsPerPhase] where v > 0.5 { n += 1 }
        return n
    }

    /// Mask volume in mm³.
    public var maskVolumeMm3: Double {
        let s = geometry.spacing
        return Double(maskVoxelCount) * s.x * s.y * s.z
    }

    /// The longest distance (mm) between the centres of two mask voxels — the maximum Feret
    /// diameter, as a radiologist's longest-diameter caliper measures it. Exact: the farthest
    /// pair always lies on the boundary, so only boundary voxels (a 6-neighbour outside) are
    /// compared pairwise. Zero for an empty or single-voxel mask.
    public var maskLongestDiameter: Double {
        var points: [SIMD3<Double>] = []
        let nx = size.x, ny = size.y, nz = size.z
        func inside(_ i: Int, _ j: Int, _ k: Int) -> Bool {
            i >= 0 && j >= 0 && k >= 0 && i < nx && j < ny && k < nz && samples[index(i, j, k)] > 0.5
        }
        for k in 0..<nz {
            for j in 0..<ny {
                for i in 0..<nx where inside(i, j, k) {
                    if !inside(i - 1, j, k) || !inside(i + 1, j, k) || !inside(i, j - 1, k)
                        || !inside(i, j + 1, k) || !inside(i, j, k - 1) || !inside(i, j, k + 1) {
                        points.append(geometry.world(ofIndex: SIMD3(Double(i), Double(j), Double(k))))
                    }
                }
            }
        }
        var best = 0.0
        for a in 0..<points.count {
            let p = points[a]
            for b in (a + 1)..<max(points.count, a + 1) {
                let d = points[b] - p
                best = max(best, (d * d).sum())
            }
        }
        return best.squareRoot()
    }
}
