/// Intensity normalisation before extraction (pyradiomics `normalize`, through SimpleITK's
/// `NormalizeImageFilter`): x ← (x − mean) / s over the whole image, s the sample standard
/// deviation (N − 1); then optional clipping at ± `removeOutliers`, then × `normalizeScale`.
/// The result is float64, as SimpleITK's is. (IBSI 1 section 2.3 leaves normalisation to the user.)
enum Normalisation {
    static func apply(_ grid: ScalarGrid, scale: Double, removeOutliers: Double?) -> ScalarGrid {
        let n = Double(grid.count)
        var sum = 0.0
        for v in grid.samples { sum += v }
        let mean = sum / n
        var ss = 0.0
        for v in grid.samples { ss += (v - mean) * (v - mean) }
        let sigma = (ss / (n - 1)).squareRoot()
        var out = grid
        for t in 0..<grid.count {
            var v = (grid.samples[t] - mean) / sigma
            if let limit = removeOutliers { v = min(max(v, -limit), limit) }
            out.samples[t] = v * scale
        }
        return out
    }
}
