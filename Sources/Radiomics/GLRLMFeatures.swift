import Foundation

/// Grey-level run-length matrix features: pyradiomics' `glrlm` class.
///
/// IBSI 1 chapter 3.7 (codes in brackets), aggregated as IBSI "3D, averaged" (ITBB): one matrix
/// per direction over the 13 directions, features per direction, mean over directions. A run is a
/// maximal line of region voxels of one grey level along the direction; a voxel outside the
/// region ends a run. As pyradiomics does, a direction in which no line holds more than one region
/// voxel is dropped ("the segmentation is 2-D for this angle"), as are directions without runs.
/// N_r is the number of runs in the direction, N_v the voxels counted by its runs.
enum GLRLMFeatures {
    static let names = ["GrayLevelNonUniformity", "GrayLevelNonUniformityNormalized", "GrayLevelVariance",
                        "HighGrayLevelRunEmphasis", "LongRunEmphasis", "LongRunHighGrayLevelEmphasis",
                        "LongRunLowGrayLevelEmphasis", "LowGrayLevelRunEmphasis", "RunEntropy",
                        "RunLengthNonUniformity", "RunLengthNonUniformityNormalized", "RunPercentage",
                        "RunVariance", "ShortRunEmphasis", "ShortRunHighGrayLevelEmphasis",
                        "ShortRunLowGrayLevelEmphasis"]

    /// Run counts for one direction: [grey slot][run length − 1]; nil when the direction is dropped.
    static func matrix(_ region: Region, _ levels: DiscretisedRegion, slot: [Int], offset o: SIMD3<Int>, maxRun: Int) -> [Double]? {
        let g = levels.presentLevels.count
        var m = [Double](repeating: 0, count: g * maxRun)
        let nx = region.size.x, ny = region.size.y, nz = region.size.z
        let step = o.x + nx * (o.y + ny * o.z)
        var multiElement = false
        func inBox(_ i: Int, _ j: Int, _ k: Int) -> Bool { i >= 0 && j >= 0 && k >= 0 && i < nx && j < ny && k < nz }
        for k in 0..<nz {
            for j in 0..<ny {
                for i in 0..<nx where !inBox(i - o.x, j - o.y, k - o.z) {
                    // (i, j, k) starts a line.
                    var (ci, cj, ck) = (i, j, k)
                    var n = region.index(i, j, k)
                    var current: Int32 = -1, run = 0, elements = 0
                    while true {
                        if region.inside[n] {
                            elements += 1
                            let l = levels.levels[n]
                            if current == l { run += 1 } else {
                                if current > 0 { m[slot[Int(current)] * maxRun + run - 1] += 1 }
                                current = l; run = 1
                            }
                        } else if current > 0 {
                            m[slot[Int(current)] * maxRun + run - 1] += 1
                            current = -1; run = 0
                        }
                        ci += o.x; cj += o.y; ck += o.z
                        if !inBox(ci, cj, ck) { break }
                        n += step
                    }
                    if current > 0 { m[slot[Int(current)] * maxRun + run - 1] += 1 }
                    if elements > 1 { multiElement = true }
                }
            }
        }
        return multiElement ? m : nil
    }

    static func compute(_ region: Region, _ levels: DiscretisedRegion) -> [String: Double] {
        let g = levels.presentLevels.count
        let maxRun = max(region.size.x, region.size.y, region.size.z)
        var slot = [Int](repeating: -1, count: levels.maxLevel + 1)
        for (s, l) in levels.presentLevels.enumerated() { slot[l] = s }
        let iv = levels.presentLevels.map(Double.init)
        let eps = Double.ulpOfOne
        var perAngle: [String: [Double]] = [:]
        for o in NeighbourOffsets.half {
            guard let m = matrix(region, levels, slot: slot, offset: o, maxRun: maxRun) else { continue }
            let nr = m.reduce(0, +)
            if nr == 0 { continue }
            var pg = [Double](repeating: 0, count: g), pr = [Double](repeating: 0, count: maxRun)
            for r in 0..<g { for c in 0..<maxRun { let v = m[r * maxRun + c]; pg[r] += v; pr[c] += v } }
            var sre = 0.0, lre = 0.0, rln = 0.0, np = 0.0
            for c in 0..<maxRun where pr[c] > 0 {
                let j = Double(c + 1)
                sre += pr[c] / (j * j); lre += pr[c] * j * j; rln += pr[c] * pr[c]; np += pr[c] * j
            }
            var gln = 0.0, lglre = 0.0, hglre = 0.0
            for r in 0..<g { gln += pg[r] * pg[r]; lglre += pg[r] / (iv[r] * iv[r]); hglre += pg[r] * iv[r] * iv[r] }
            var srlgle = 0.0, srhgle = 0.0, lrlgle = 0.0, lrhgle = 0.0, entropy = 0.0
            for r in 0..<g {
                let i2 = iv[r] * iv[r]
                for c in 0..<maxRun {
                    let v = m[r * maxRun + c]
                    if v == 0 { continue }
                    let j2 = Double((c + 1) * (c + 1))
                    srlgle += v / (i2 * j2); srhgle += v * i2 / j2; lrlgle += v * j2 / i2; lrhgle += v * i2 * j2
                    let p = v / nr
                    entropy -= p * log2(p + eps)
                }
            }
            var ui = 0.0, uj = 0.0
            for r in 0..<g { ui += pg[r] / nr * iv[r] }
            for c in 0..<maxRun { uj += pr[c] / nr * Double(c + 1) }
            var glv = 0.0, rv = 0.0
            for r in 0..<g { glv += pg[r] / nr * (iv[r] - ui) * (iv[r] - ui) }
            for c in 0..<maxRun { let d = Double(c + 1) - uj; rv += pr[c] / nr * d * d }

            func add(_ name: String, _ value: Double) { perAngle[name, default: []].append(value) }
            add("ShortRunEmphasis", sre / nr)                       // IBSI 22OV
            add("LongRunEmphasis", lre / nr)                        // IBSI W4KF
            add("GrayLevelNonUniformity", gln / nr)                 // IBSI R5YN
            add("GrayLevelNonUniformityNormalized", gln / (nr * nr)) // IBSI OVBL
            add("RunLengthNonUniformity", rln / nr)                 // IBSI W92Y
            add("RunLengthNonUniformityNormalized", rln / (nr * nr)) // IBSI IC23
            add("RunPercentage", nr / np)                           // IBSI 9ZK5
            add("GrayLevelVariance", glv)                           // IBSI 8CE5
            add("RunVariance", rv)                                  // IBSI SXLW
            add("RunEntropy", entropy)                              // IBSI HJ9O
            add("LowGrayLevelRunEmphasis", lglre / nr)              // IBSI V3SW
            add("HighGrayLevelRunEmphasis", hglre / nr)             // IBSI G3QZ
            add("ShortRunLowGrayLevelEmphasis", srlgle / nr)        // IBSI HTZT
            add("ShortRunHighGrayLevelEmphasis", srhgle / nr)       // IBSI GD3A
            add("LongRunLowGrayLevelEmphasis", lrlgle / nr)         // IBSI IVPO
            add("LongRunHighGrayLevelEmphasis", lrhgle / nr)        // IBSI 3KUM
        }
        var out: [String: Double] = [:]
        for name in names { out[name] = nanMean(perAngle[name] ?? []) }
        return out
    }
}
