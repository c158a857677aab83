import Volumes

/// The breast on the DCE grid, found automatically: tissue in front of the chest wall, skin
/// peeled off. Used for intensity normalisation (and by the lesion search to stay in the breast).
///
/// Method (a documented heuristic, not a segmentation model):
/// 1. the mean of the motion-corrected DCE phases (noise averages down; fat is dark on fat-
///    suppressed DCE but above the air floor), smoothed by σ;
/// 2. tissue = above the lowest of three Otsu classes (air | low tissue | bright tissue;
///    Liao et al. 2001) — two classes would put fat with air on fat-suppressed images;
/// 3. the largest 26-connected component, closed by a ball, holes filled;
/// 4. the chest wall: along the grid axis closest to posterior, the first plane from the
///    anterior side whose area is almost all tissue (`chestPlaneFraction`: the thorax spans the
///    field of view, a breast does not); everything from it backwards is cut (when no plane
///    qualifies nothing is cut, and a note says so);
/// 5. eroded by the skin margin and reduced to its largest component.
/// Steps 1–5 run on a grid of voxels about 1.5 mm wide (block means along the finer axes, as
/// `body`), and the mask is carried back to the DCE grid (nearest voxel): a region for intensity
/// statistics and for the lesion search needs no finer outline, and a 0.7 mm clinical DCE has a
/// quarter of the voxels to smooth, label and erode.
enum BreastMask {
    static func find(dce: Volume, settings: PreprocessingSettings) -> (mask: Volume, notes: [String]) {
        let factors = coarseGrid(dce.geometry)
        let (coarse, notes) = find(onGridOf: dce.shrunk(by: factors), settings: settings)
        guard factors != SIMD3(repeating: 1) else { return (coarse, notes) }
        // Same frame, a grid inside the coarse one's half-voxel border: cannot fail.
        return (try! coarse.resampled(size: dce.size, geometry: dce.geometry, interpolation: .nearest), notes)
    }

    /// Shrink factors to voxels about 1.5 mm wide (1 along axes already that coarse).
    static func coarseGrid(_ g: Geometry) -> SIMD3<Int> {
        SIMD3((0..<3).map { max(1, Int((1.5 / g.spacing[$0]).rounded(.down))) })
    }

    /// Steps 1–5 on the grid of `dce` (any phase count).
    static func find(onGridOf dce: Volume, settings: PreprocessingSettings) -> (mask: Volume, notes: [String]) {
        var notes: [String] = []
        let n = dce.voxelsPerPhase
        var mean = [Float](repeating: 0, count: n)
        for t in 0..<dce.phases {
            for v in 0..<n { mean[v] += dce.samples[t * n + v] }
        }
        let scale = 1 / Float(dce.phases)
        // Size and geometry come from a valid volume.
        let image = try! Volume(size: dce.size, geometry: dce.geometry, samples: mean.map { $0 * scale })
            .smoothed(sigmaMm: settings.maskSmoothingSigmaMm)
        let body = tissue(image).largestComponent()
            .closed(radiusMm: settings.maskClosingRadiusMm).filledHoles()
        var mask = body
        if let cut = chestPlane(body, fraction: settings.chestPlaneFraction) {
            let (axis, plane, towardsPosterior) = cut
            for k in 0..<dce.size.z {
                for j in 0..<dce.size.y {
                    for i in 0..<dce.size.x {
                        let c = SIMD3(i, j, k)[axis]
                        if towardsPosterior ? c >= plane : c <= plane { mask[i, j, k] = 0 }
                    }
                }
            }
        } else {
            notes.append("breast mask: no chest wall found (no plane across the field of view is tissue); the mask is the whole body")
        }
        mask = mask.eroded(radiusMm: settings.skinMarginMm).largestComponent()
        if mask.maskVoxelCount == 0 {
            notes.append("breast mask: nothing left after removing chest and skin; the body mask is used")
            mask = body
        }
        return (mask, notes)
    }

    /// Tissue (not air): above the lowest three-class Otsu threshold.
    static func tissue(_ image: Volume) -> Volume {
        let threshold = OtsuThreshold.thresholds3(image.samples).low
        return try! Volume(size: image.size, geometry: image.geometry, samples: image.samples.map { $0 > threshold ? 1 : 0 })
    }

    /// The first almost-full plane from the anterior side: (axis, index, whether index grows posteriorly).
    static func chestPlane(_ body: Volume, fraction: Double) -> (Int, Int, Bool)? {
        let d = body.geometry.direction
        // The voxel axis most aligned with world y (LPS: +y is posterior).
        let axis = (0..<3).max { abs(d[1, $0]) < abs(d[1, $1]) }!
        let towardsPosterior = d[1, axis] > 0
        let count = body.size[axis]
        var inPlane = [Int](repeating: 0, count: count)
        for k in 0..<body.size.z {
            for j in 0..<body.size.y {
                for i in 0..<body.size.x where body[i, j, k] > 0.5 { inPlane[SIMD3(i, j, k)[axis]] += 1 }
            }
        }
        let area = Double(body.voxelsPerPhase / count)
        let order = towardsPosterior ? Array(0..<count) : Array((0..<count).reversed())
        for c in order where Double(inPlane[c]) >= fraction * area {
            return (axis, c, towardsPosterior)
        }
        return nil
    }

    /// The body, for registration samples: tissue of one image, dilated by `marginMm`, on a grid
    /// of voxels about 1.5 mm wide (block means along the finer axes) — all the outline a
    /// sampling region needs, and a quarter of the voxels of a 0.7 mm DCE. The registration reads
    /// it on that grid (`RigidRegistration` looks a sample up at the mask's nearest voxel).
    static func body(_ image: Volume, marginMm: Double) -> Volume {
        let factors = coarseGrid(image.geometry)
        return tissue(image.shrunk(by: factors).smoothed(sigmaMm: 1.5)).dilated(radiusMm: marginMm)
    }
}
