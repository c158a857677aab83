import Foundation

/// Grey-level co-occurrence matrix features: pyradiomics' `glcm` class.
///
/// IBSI 1 chapter 3.6 (codes in brackets). Conventions, as pyradiomics and IBSI "3D, averaged"
/// (IBSI aggregation code ITBB): distance 1 (Chebyshev), 13 directions, one matrix per direction
/// made symmetric (M + Mᵀ), each normalised to probabilities p(i, j); each feature is computed per
/// direction and the mean over directions is reported. Directions without any pair are dropped
/// (pyradiomics' "empty angles"). Rows and columns of grey levels absent from the region are
/// removed, so i and j run over the grey levels present.
/// Where pyradiomics departs from IBSI:
/// - `Idmn` and `Idn` normalise by N_g = the highest grey level in the region (IBSI 1QCO, 1MXS
///   use the number of discretisation bins);
/// - `Correlation` is 1 where σₓσᵧ = 0; `Imc1` is 0 where max(HX, HY) = 0; `Imc2` is 0 where
///   HXY2 = HXY, and a direction where HXY2 < HXY gives NaN that the mean over directions skips;
/// - entropies use log₂(p + ε) with ε the float64 machine epsilon;
/// - `MCC` (maximal correlation coefficient) is not in IBSI 1; with one grey level it is 1.
enum GLCMFeatures {
    static let names = ["Autocorrelation", "ClusterProminence", "ClusterShade", "ClusterTendency", "Contrast",
                        "Correlation", "DifferenceAverage", "DifferenceEntropy", "DifferenceVariance", "Id",
                        "Idm", "Idmn", "Idn", "Imc1", "Imc2", "InverseVariance", "JointAverage", "JointEnergy",
                        "JointEntropy", "MCC", "MaximumProbability", "SumAverage", "SumEntropy", "SumSquares"]

    /// One co-occurrence count matrix (G × G over the present levels) per direction.
    static func matrices(_ region: Region, _ levels: DiscretisedRegion, symmetric: Bool) -> [[Double]] {
        let g = levels.presentLevels.count
        var slot = [Int](repeating: -1, count: levels.maxLevel + 1)
        for (s, l) in levels.presentLevels.enumerated() { slot[l] = s }
        var out: [[Double]] = []
        for o in NeighbourOffsets.half {
            var m = [Double](repeating: 0, count: g * g)
            region.forEachPair(offset: o) { a, b in
                let sa = slot[Int(levels.levels[a])], sb = slot[Int(levels.levels[b])]
                m[sa * g + sb] += 1
            }
            if symmetric {
                var s = m
                for r in 0..<g { for c in 0..<g { s[r * g + c] += m[c * g + r] } }
                m = s
            }
            out.append(m)
        }
        return out
    }

    static func compute(_ region: Region, _ levels: DiscretisedRegion, symmetric: Bool) -> [String: Double] {
        let g = levels.presentLevels.count
        let ng = levels.maxLevel
        let iv = levels.presentLevels.map(Double.init)
        let eps = Double.ulpOfOne
        var perAngle: [String: [Double]] = [:]
        var mccPerAngle: [Double] = []
        for counts in matrices(region, levels, symmetric: symmetric) {
            let total = counts.reduce(0, +)
            if total == 0 { continue }     // empty direction, dropped
            let p = counts.map { $0 / total }
            var px = [Double](repeating: 0, count: g), py = px
            var ux = 0.0, uy = 0.0
            for r in 0..<g {
                for c in 0..<g {
                    let v = p[r * g + c]
                    px[r] += v; py[c] += v
                    ux += iv[r] * v; uy += iv[c] * v
                }
            }
            var sum = [Double](repeating: 0, count: 2 * ng + 1)   // index k = i + j
            var diff = [Double](repeating: 0, count: ng)           // index k = |i − j|
            var autocorrelation = 0.0, prominence = 0.0, shade = 0.0, tendency = 0.0, contrast = 0.0
            var sigx2 = 0.0, sigy2 = 0.0, corm = 0.0, energy = 0.0, hxy = 0.0, maxP = 0.0, hxy1 = 0.0, hxy2 = 0.0
            for r in 0..<g {
                for c in 0..<g {
                    let v = p[r * g + c]
                    let i = iv[r], j = iv[c]
                    let pxy = px[r] * py[c]
                    hxy2 -= pxy * log2(pxy + eps)
                    if v == 0 { continue }
                    sum[Int(i + j)] += v
                    diff[Int(abs(i - j))] += v
                    autocorrelation += v * i * j
                    let t = i + j - ux - uy
                    let t2 = t * t
                    tendency += v * t2; shade += v * t2 * t; prominence += v * t2 * t2
                    contrast += v * (i - j) * (i - j)
                    sigx2 += v * (i - ux) * (i - ux); sigy2 += v * (j - uy) * (j - uy)
                    corm += v * (i - ux) * (j - uy)
                    energy += v * v
                    hxy -= v * log2(v + eps)
                    hxy1 -= v * log2(pxy + eps)
                    maxP = max(maxP, v)
                }
            }
            var hx = 0.0, hy = 0.0
            for r in 0..<g { hx -= px[r] * log2(px[r] + eps); hy -= py[r] * log2(py[r] + eps) }
            var diffAverage = 0.0, diffEntropy = 0.0, idm = 0.0, idmn = 0.0, id = 0.0, idn = 0.0, inverseVariance = 0.0
            let ngd = Double(ng)
            for k in 0..<ng {
                let v = diff[k], kd = Double(k)
                diffAverage += kd * v
                diffEntropy -= v * log2(v + eps)
                idm += v / (1 + kd * kd)
                idmn += v / (1 + kd * kd / (ngd * ngd))
                id += v / (1 + kd)
                idn += v / (1 + kd / ngd)
                if k > 0 { inverseVariance += v / (kd * kd) }
            }
            var diffVariance = 0.0
            for k in 0..<ng { diffVariance += diff[k] * (Double(k) - diffAverage) * (Double(k) - diffAverage) }
            var sumAverage = 0.0, sumEntropy = 0.0
            for k in 2...(2 * ng) { sumAverage += Double(k) * sum[k]; sumEntropy -= sum[k] * log2(sum[k] + eps) }
            let sigx = sigx2.squareRoot(), sigy = sigy2.squareRoot()
            let correlation = sigx * sigy == 0 ? 1 : corm / (sigx * sigy + eps)
            let div = max(hx, hy)
            let imc1 = div == 0 ? 0 : (hxy - hxy1) / div
            let imc2 = hxy2 == hxy ? 0 : (1 - exp(-2 * (hxy2 - hxy))).squareRoot()   // NaN if HXY2 < HXY

            func add(_ name: String, _ value: Double) { perAngle[name, default: []].append(value) }
            add("Autocorrelation", autocorrelation)       // IBSI QWB0
            add("JointAverage", ux)                       // IBSI 60VM
            add("ClusterProminence", prominence)          // IBSI AE86
            add("ClusterShade", shade)                    // IBSI 7NFM
            add("ClusterTendency", tendency)              // IBSI DG8W
            add("Contrast", contrast)                     // IBSI ACUI
            add("Correlation", correlation)               // IBSI NI2N
            add("DifferenceAverage", diffAverage)         // IBSI TF7R
            add("DifferenceEntropy", diffEntropy)         // IBSI NTRS
            add("DifferenceVariance", diffVariance)       // IBSI D3YU
            add("JointEnergy", energy)                    // IBSI 8ZQL
            add("JointEntropy", hxy)                      // IBSI TU9B
            add("Imc1", imc1)                             // IBSI R8DG
            add("Imc2", imc2)                             // IBSI JN9H
            add("Idm", idm)                               // IBSI WF0Z
            add("Idmn", idmn)                             // IBSI 1QCO (N_g differs, see above)
            add("Id", id)                                 // IBSI IB1Z
            add("Idn", idn)                               // IBSI NDRX (N_g differs, see above)
            add("InverseVariance", inverseVariance)       // IBSI E8JP
            add("MaximumProbability", maxP)               // IBSI GYBY
            add("SumAverage", sumAverage)                 // IBSI ZGXS
            add("SumEntropy", sumEntropy)                 // IBSI P6QZ
            add("SumSquares", sigx2)                      // IBSI UR99 (joint variance)
            if g >= 2 { mccPerAngle.append(maximalCorrelation(p, px: px, py: py, g: g)) }
        }
        var out: [String: Double] = [:]
        for (name, values) in perAngle { out[name] = nanMean(values) }
        for name in names where out[name] == nil { out[name] = .nan }
        out["MCC"] = g < 2 ? 1 : nanMean(mccPerAngle)
        return out
    }

    /// √(second largest eigenvalue of Q), Q(i, j) = Σₖ p(i,k) p(j,k) / (pₓ(i) p_y(k))
    /// (Haralick et al. 1973). Q is similar to the symmetric S = Dₓ^{-½} P D_y^{-1} Pᵀ Dₓ^{-½},
    /// whose eigenvalues are computed here (pyradiomics adds ε to the denominator and calls a
    /// general eigensolver: the difference is far below 1e-6 for regions up to ~10⁵ voxels).
    static func maximalCorrelation(_ p: [Double], px: [Double], py: [Double], g: Int) -> Double {
        var a = [Double](repeating: 0, count: g * g)   // a(i, k) = p(i,k) / √(pₓ(i) p_y(k))
        for r in 0..<g where px[r] > 0 {
            for c in 0..<g where py[c] > 0 {
                a[r * g + c] = p[r * g + c] / (px[r] * py[c]).squareRoot()
            }
        }
        var s = [Double](repeating: 0, count: g * g)
        for r in 0..<g {
            for c in r..<g {
                var v = 0.0
                for k in 0..<g { v += a[r * g + k] * a[c * g + k] }
                s[r * g + c] = v; s[c * g + r] = v
            }
        }
        let eigen = SymmetricEigenvalues.of(s, n: g)
        return max(0, eigen[g - 2]).squareRoot()
    }
}

/// Mean of the non-NaN values (NumPy's `nanmean`); NaN when none.
func nanMean(_ values: [Double]) -> Double {
    var s = 0.0, n = 0
    for v in values where !v.isNaN { s += v; n += 1 }
    return n == 0 ? .nan : s / Double(n)
}
