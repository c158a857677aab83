/// One level of a registration pyramid: the image blurred by a Gaussian of σ mm, on a grid made
/// coarser only along the axes whose voxels are finer than the level's sample spacing.
///
/// ITK's ImageRegistrationMethodv4 smooths the fixed and the moving image at full resolution
/// and shrinks only the sample grid (its "virtual domain"). Smoothing 256 × 256 × 80 voxels for
/// every level and every moving image costs more than the registration, so each axis is first
/// reduced by block means of f voxels, f = ⌊resolution / spacing⌋ (1 when the level is not
/// shrunk), and the Gaussian then adds what the block's box filter lacks: a box of f voxels has
/// variance (f² − 1)/12 voxel², so σ′² = σ² − (f² − 1)·spacing²/12 along that axis. An axis
/// whose voxels are already coarse (the 2–5 mm slices of a breast MRI) keeps every voxel: a
/// uniform shrink by 4 would leave 8–20 mm slices at the coarsest level, where through-plane
/// rotations can no longer be seen.
extension Volume {
    /// This volume blurred by σ = `sigmaMm` and resampled by block means to voxels no larger than
    /// `resolutionMm` along axes finer than that (`resolutionMm` ≤ the finest spacing: no shrink).
    func pyramidLevel(sigmaMm: Double, resolutionMm: Double, threads: Int = 0) -> Volume {
        let spacing = geometry.spacing
        var factors = SIMD3<Int>(repeating: 1)
        var sigma = SIMD3<Double>(repeating: 0)
        for axis in 0..<3 {
            let f = max(1, min(size[axis], Int((resolutionMm / spacing[axis] + 1e-6).rounded(.down))))
            factors[axis] = f
            let box = Double(f * f - 1) / 12 * spacing[axis] * spacing[axis]
            sigma[axis] = (max(0, sigmaMm * sigmaMm - box)).squareRoot()
        }
        return shrunk(by: factors).smoothed(sigmaMm: sigma, threads: threads)
    }
}
