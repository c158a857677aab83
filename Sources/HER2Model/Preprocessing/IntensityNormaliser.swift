import Volumes

/// The affine map of one sequence to the common scale, from its voxels inside the breast mask
/// (and inside the sequence's own field of view, for a resampled T1 or T2).
///
/// z-score: offset = mean, scale = standard deviation. Percentile: offset = P_low,
/// scale = P_high − P_low (type-7 quantiles, as R's default). A degenerate scale (constant
/// tissue, empty mask) falls back to 1 with the offset kept, and the caller notes it.
enum IntensityNormaliser {
    static func fit(_ volume: Volume, phase: Int = 0, mask: Volume, coverage: Volume? = nil,
                    settings: PreprocessingSettings) -> IntensityNormalisation {
        let n = volume.voxelsPerPhase
        var values: [Double] = []
        values.reserveCapacity(mask.maskVoxelCount)
        for v in 0..<n where mask.samples[v] > 0.5 && (coverage.map { $0.samples[v] > 0.5 } ?? true) {
            values.append(Double(volume.samples[phase * n + v]))
        }
        guard values.count >= 2 else {
            return IntensityNormalisation(method: settings.normalisation.rawValue, offset: 0, scale: 1)
        }
        switch settings.normalisation {
        case .zscore:
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
            let sd = variance.squareRoot()
            return IntensityNormalisation(method: "zscore", offset: mean, scale: sd > 0 ? sd : 1)
        case .percentile:
            values.sort()
            func quantile(_ p: Double) -> Double { // type 7
                let h = (Double(values.count) - 1) * p / 100
                let lo = Int(h.rounded(.down)), hi = min(values.count - 1, lo + 1)
                return values[lo] + (h - Double(lo)) * (values[hi] - values[lo])
            }
            let a = quantile(settings.lowerPercentile), b = quantile(settings.upperPercentile)
            return IntensityNormalisation(method: "percentile", offset: a, scale: b > a ? b - a : 1)
        }
    }
}
