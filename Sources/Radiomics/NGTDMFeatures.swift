import Foundation

/// Neighbouring grey tone difference matrix features: pyradiomics' `ngtdm` class.
///
/// IBSI 1 chapter 3.10 (codes in brackets), distance 1, "3D" (KOBO). For each region voxel of grey
/// level i, Ā is the mean grey level of its neighbours (of the 26) that lie in the region;
/// s_i = Σ |i − Ā| over the voxels of level i, n_i their number, p_i = n_i / N_v.
/// Where pyradiomics departs from IBSI: a voxel without any neighbour in the region still
/// counts in n_i (with |i − Ā| = 0), where IBSI leaves it out; Coarseness is 10⁶ where
/// Σ p_i s_i = 0; Contrast, Busyness and Strength are 0 where their denominators are 0.
enum NGTDMFeatures {
    static let names = ["Busyness", "Coarseness", "Complexity", "Contrast", "Strength"]

    static func compute(_ region: Region, _ levels: DiscretisedRegion) -> [String: Double] {
        var count = [Int](repeating: 0, count: region.voxelsInBox)
        var sum = [Double](repeating: 0, count: region.voxelsInBox)
        for o in NeighbourOffsets.half {
            region.forEachPair(offset: o) { a, b in
                count[a] += 1; count[b] += 1
                sum[a] += Double(levels.levels[b]); sum[b] += Double(levels.levels[a])
            }
        }
        var n = [Double](repeating: 0, count: levels.maxLevel + 1)
        var s = [Double](repeating: 0, count: levels.maxLevel + 1)
        for v in 0..<region.voxelsInBox where region.inside[v] {
            let l = Int(levels.levels[v])
            let diff = count[v] == 0 ? 0 : abs(Double(l) - sum[v] / Double(count[v]))
            n[l] += 1; s[l] += diff
        }
        let present = (0...levels.maxLevel).filter { n[$0] > 0 }
        let nv = present.reduce(0.0) { $0 + n[$1] }
        let p = present.map { n[$0] / nv }, si = present.map { s[$0] }, iv = present.map(Double.init)
        let ngp = Double(present.count)
        let g = present.count
        let sumS = si.reduce(0, +)
        var pisi = 0.0
        for a in 0..<g { pisi += p[a] * si[a] }
        var contrastSum = 0.0, busyDenominator = 0.0, complexity = 0.0, strength = 0.0
        for a in 0..<g {
            for b in 0..<g {
                let d = iv[a] - iv[b]
                contrastSum += p[a] * p[b] * d * d
                busyDenominator += abs(iv[a] * p[a] - iv[b] * p[b])
                complexity += abs(d) * (p[a] * si[a] + p[b] * si[b]) / (p[a] + p[b])
                strength += (p[a] + p[b]) * d * d
            }
        }
        let div = ngp * (ngp - 1)
        var out: [String: Double] = [:]
        out["Coarseness"] = pisi == 0 ? 1e6 : 1 / pisi                                      // IBSI QCDE
        out["Contrast"] = div == 0 ? 0 : contrastSum * sumS / nv / div                       // IBSI 65HE
        out["Busyness"] = busyDenominator == 0 ? 0 : pisi / busyDenominator                  // IBSI NQ30
        out["Complexity"] = complexity / nv                                                  // IBSI HDEZ
        out["Strength"] = sumS == 0 ? 0 : strength / sumS                                    // IBSI 1X9X
        return out
    }
}
