import Foundation

/// Grey-level dependence matrix features: pyradiomics' `gldm` class, IBSI 1's neighbouring grey
/// level dependence matrix (NGLDM, chapter 3.11; codes in brackets) with distance 1 and
/// coarseness α = `gldm_a` (default 0).
///
/// Each region voxel of grey level i counts its dependent neighbours among the 26 that lie in
/// the region (|i − level| ≤ α); p(i, j) counts voxels with j − 1 dependent neighbours, so j
/// starts at 1 and the centre voxel counts itself, as in IBSI. N = Σ p = the region's voxels.
/// pyradiomics keeps no "dependence count percentage" (always 1) and no normalised grey-level
/// non-uniformity (equal to first-order Uniformity); otherwise it agrees with IBSI ("3D", KOBO).
enum GLDMFeatures {
    static let names = ["DependenceEntropy", "DependenceNonUniformity", "DependenceNonUniformityNormalized",
                        "DependenceVariance", "GrayLevelNonUniformity", "GrayLevelVariance", "HighGrayLevelEmphasis",
                        "LargeDependenceEmphasis", "LargeDependenceHighGrayLevelEmphasis",
                        "LargeDependenceLowGrayLevelEmphasis", "LowGrayLevelEmphasis", "SmallDependenceEmphasis",
                        "SmallDependenceHighGrayLevelEmphasis", "SmallDependenceLowGrayLevelEmphasis"]

    static func compute(_ region: Region, _ levels: DiscretisedRegion, alpha: Int) -> [String: Double] {
        var slot = [Int](repeating: -1, count: levels.maxLevel + 1)
        for (s, l) in levels.presentLevels.enumerated() { slot[l] = s }
        let g = levels.presentLevels.count
        var counts = [Double](repeating: 0, count: g * 27)   // [slot][dependent neighbours]
        var dependent = [Int](repeating: 0, count: region.voxelsInBox)
        for o in NeighbourOffsets.half {
            region.forEachPair(offset: o) { a, b in
                if abs(Int(levels.levels[a]) - Int(levels.levels[b])) <= alpha {
                    dependent[a] += 1; dependent[b] += 1
                }
            }
        }
        for n in 0..<region.voxelsInBox where region.inside[n] {
            counts[slot[Int(levels.levels[n])] * 27 + dependent[n]] += 1
        }
        var entries: [(slot: Int, size: Int, count: Double)] = []
        for r in 0..<g { for d in 0..<27 where counts[r * 27 + d] > 0 { entries.append((r, d + 1, counts[r * 27 + d])) } }
        return SizeTableFeatures.compute(entries, greyLevels: levels.presentLevels.map(Double.init),
                                         names: (sizeSmall: "SmallDependenceEmphasis", sizeLarge: "LargeDependenceEmphasis",
                                                 sizeNU: "DependenceNonUniformity", sizeVar: "DependenceVariance",
                                                 entropy: "DependenceEntropy", lowGrey: "LowGrayLevelEmphasis",
                                                 highGrey: "HighGrayLevelEmphasis",
                                                 smallLow: "SmallDependenceLowGrayLevelEmphasis",
                                                 smallHigh: "SmallDependenceHighGrayLevelEmphasis",
                                                 largeLow: "LargeDependenceLowGrayLevelEmphasis",
                                                 largeHigh: "LargeDependenceHighGrayLevelEmphasis"),
                                         normalisedSizeNU: "DependenceNonUniformityNormalized",
                                         normalisedGreyNU: nil, percentage: nil)
    }
}
