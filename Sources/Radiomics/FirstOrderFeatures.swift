import Foundation

/// First-order (intensity) statistics of the region: pyradiomics' `firstorder` class.
///
/// IBSI 1 chapter 3.3 "Intensity-based statistical features" and 3.4 "Intensity histogram"
/// (codes in brackets). Moments are population moments (divide by N), as IBSI defines them.
/// Where pyradiomics departs from IBSI:
/// - `Kurtosis` is m₄/m₂² (IBSI IPH6 reports the *excess* kurtosis, m₄/m₂² − 3);
/// - `Entropy` and `Uniformity` are computed on the discretised levels (IBSI's histogram
///   features TLU0 and BJ5S), with `Entropy = −Σ p log₂(p + ε)`, ε the float64 machine epsilon;
/// - `Energy`, `TotalEnergy` and `RootMeanSquared` add `voxelArrayShift` first (IBSI N8CA,
///   5ZWQ have no shift); `TotalEnergy` multiplies by the voxel volume (not in IBSI);
/// - a flat region has skewness and kurtosis 0 (IBSI leaves them undefined).
enum FirstOrderFeatures {
    /// pyradiomics' default (non-deprecated) feature names.
    static let names = ["10Percentile", "90Percentile", "Energy", "Entropy", "InterquartileRange", "Kurtosis",
                        "Maximum", "MeanAbsoluteDeviation", "Mean", "Median", "Minimum", "Range",
                        "RobustMeanAbsoluteDeviation", "RootMeanSquared", "Skewness", "TotalEnergy",
                        "Uniformity", "Variance"]
    /// Deprecated in pyradiomics; computed only when named explicitly.
    static let deprecated = ["StandardDeviation"]

    static func compute(_ region: Region, _ levels: DiscretisedRegion, shift: Double) -> [String: Double] {
        let x = region.regionIntensities
        let n = Double(x.count)
        let sorted = x.sorted()
        var out: [String: Double] = [:]

        var sumSquaresShifted = 0.0
        for v in x { let s = v + shift; sumSquaresShifted += s * s }
        let mean = x.reduce(0, +) / n
        var m2 = 0.0, m3 = 0.0, m4 = 0.0, mad = 0.0
        for v in x {
            let d = v - mean
            let d2 = d * d
            m2 += d2; m3 += d2 * d; m4 += d2 * d2; mad += abs(d)
        }
        m2 /= n; m3 /= n; m4 /= n; mad /= n

        // Histogram of discretised levels.
        var counts: [Int: Int] = [:]
        for l in levels.levels where l > 0 { counts[Int(l), default: 0] += 1 }
        var entropy = 0.0, uniformity = 0.0
        for c in counts.values {
            let p = Double(c) / n
            entropy -= p * log2(p + Double.ulpOfOne)
            uniformity += p * p
        }

        let p10 = percentile(sorted, 10), p90 = percentile(sorted, 90)
        // Robust MAD: mean absolute deviation of the values within [P10, P90] (IBSI 1128).
        var robust: [Double] = []
        for v in x where v >= p10 && v <= p90 { robust.append(v) }
        let robustMean = robust.reduce(0, +) / Double(robust.count)
        let rmad = robust.reduce(0) { $0 + abs($1 - robustMean) } / Double(robust.count)

        let voxelVolume = region.spacing.x * region.spacing.y * region.spacing.z
        out["Energy"] = sumSquaresShifted                                  // IBSI N8CA
        out["TotalEnergy"] = sumSquaresShifted * voxelVolume                // not in IBSI
        out["Entropy"] = entropy                                            // IBSI TLU0
        out["Minimum"] = sorted.first!                                      // IBSI 1GSF
        out["10Percentile"] = p10                                           // IBSI QG58
        out["90Percentile"] = p90                                           // IBSI 8DWT
        out["Maximum"] = sorted.last!                                       // IBSI 84IY
        out["Mean"] = mean                                                  // IBSI Q4LE
        out["Median"] = median(sorted)                                      // IBSI Y12H
        out["InterquartileRange"] = percentile(sorted, 75) - percentile(sorted, 25) // IBSI SALO
        out["Range"] = sorted.last! - sorted.first!                         // IBSI 2OJQ
        out["MeanAbsoluteDeviation"] = mad                                  // IBSI 4FUA
        out["RobustMeanAbsoluteDeviation"] = rmad                           // IBSI 1128
        out["RootMeanSquared"] = (sumSquaresShifted / n).squareRoot()       // IBSI 5ZWQ
        out["StandardDeviation"] = m2.squareRoot()                          // not in IBSI
        out["Skewness"] = m2 == 0 ? 0 : m3 / pow(m2, 1.5)                   // IBSI KE2A
        out["Kurtosis"] = m2 == 0 ? 0 : m4 / (m2 * m2)                      // IBSI IPH6 + 3
        out["Variance"] = m2                                                // IBSI ECT3
        out["Uniformity"] = uniformity                                      // IBSI BJ5S
        return out
    }

    /// NumPy's `percentile(a, q)` with linear interpolation, including its `lerp` that
    /// interpolates from the upper neighbour when the fraction is ≥ ½.
    static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        let position = q / 100 * Double(sorted.count - 1)
        let below = Int(position.rounded(.down))
        let above = min(below + 1, sorted.count - 1)
        let t = position - Double(below)
        let a = sorted[below], b = sorted[above]
        let diff = b - a
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t
    }

    /// NumPy's median: the middle value, or the mean of the two middle values.
    static func median(_ sorted: [Double]) -> Double {
        let n = sorted.count
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }
}
