import Foundation

/// Grey-level size-zone matrix features: pyradiomics' `glszm` class.
///
/// IBSI 1 chapter 3.8 (codes in brackets). A zone is a 26-connected set of region voxels of one
/// grey level (IBSI "3D" aggregation, KOBO). N_z is the number of zones, N_v the region's voxels;
/// p(i, j) counts zones of grey level i and size j. pyradiomics and IBSI agree here.
enum GLSZMFeatures {
    static let names = ["GrayLevelNonUniformity", "GrayLevelNonUniformityNormalized", "GrayLevelVariance",
                        "HighGrayLevelZoneEmphasis", "LargeAreaEmphasis", "LargeAreaHighGrayLevelEmphasis",
                        "LargeAreaLowGrayLevelEmphasis", "LowGrayLevelZoneEmphasis", "SizeZoneNonUniformity",
                        "SizeZoneNonUniformityNormalized", "SmallAreaEmphasis", "SmallAreaHighGrayLevelEmphasis",
                        "SmallAreaLowGrayLevelEmphasis", "ZoneEntropy", "ZonePercentage", "ZoneVariance"]

    /// The zones as (grey level, size), found by flood fill over the 26 neighbours.
    static func zones(_ region: Region, _ levels: DiscretisedRegion) -> [(level: Int, size: Int)] {
        var visited = [Bool](repeating: false, count: region.voxelsInBox)
        var stack: [Int] = []
        var out: [(level: Int, size: Int)] = []
        let nx = region.size.x, ny = region.size.y, nz = region.size.z
        let offsets = NeighbourOffsets.all
        for start in 0..<region.voxelsInBox where region.inside[start] && !visited[start] {
            let gl = levels.levels[start]
            visited[start] = true
            stack.append(start)
            var size = 0
            while let n = stack.popLast() {
                size += 1
                let i = n % nx, j = (n / nx) % ny, k = n / (nx * ny)
                for o in offsets {
                    let a = i + o.x, b = j + o.y, c = k + o.z
                    if a < 0 || b < 0 || c < 0 || a >= nx || b >= ny || c >= nz { continue }
                    let m = a + nx * (b + ny * c)
                    if region.inside[m] && !visited[m] && levels.levels[m] == gl {
                        visited[m] = true
                        stack.append(m)
                    }
                }
            }
            out.append((Int(gl), size))
        }
        return out
    }

    static func compute(_ region: Region, _ levels: DiscretisedRegion) -> [String: Double] {
        var slot = [Int](repeating: -1, count: levels.maxLevel + 1)
        for (s, l) in levels.presentLevels.enumerated() { slot[l] = s }
        var table: [Int: [Int: Double]] = [:]   // size → slot → count
        for z in zones(region, levels) { table[z.size, default: [:]][slot[z.level], default: 0] += 1 }
        let entries = table.flatMap { size, row in row.map { (slot: $0.key, size: size, count: $0.value) } }
        return SizeTableFeatures.compute(entries, greyLevels: levels.presentLevels.map(Double.init),
                                         names: (sizeSmall: "SmallAreaEmphasis", sizeLarge: "LargeAreaEmphasis",
                                                 sizeNU: "SizeZoneNonUniformity", sizeVar: "ZoneVariance",
                                                 entropy: "ZoneEntropy", lowGrey: "LowGrayLevelZoneEmphasis",
                                                 highGrey: "HighGrayLevelZoneEmphasis",
                                                 smallLow: "SmallAreaLowGrayLevelEmphasis",
                                                 smallHigh: "SmallAreaHighGrayLevelEmphasis",
                                                 largeLow: "LargeAreaLowGrayLevelEmphasis",
                                                 largeHigh: "LargeAreaHighGrayLevelEmphasis"),
                                         normalisedSizeNU: "SizeZoneNonUniformityNormalized",
                                         normalisedGreyNU: "GrayLevelNonUniformityNormalized",
                                         percentage: "ZonePercentage")
    }
}

/// The features GLSZM and GLDM share: sums over a table p(i, j) of grey level i and a size j
/// (zone size, or dependence count + 1), normalised by N = Σ p (pyradiomics' `Nz`).
/// IBSI 1 sections 3.8 and 3.11 give the same formulas.
enum SizeTableFeatures {
    typealias Names = (sizeSmall: String, sizeLarge: String, sizeNU: String, sizeVar: String, entropy: String,
                       lowGrey: String, highGrey: String, smallLow: String, smallHigh: String,
                       largeLow: String, largeHigh: String)

    static func compute(_ entries: [(slot: Int, size: Int, count: Double)], greyLevels iv: [Double], names: Names,
                        normalisedSizeNU: String, normalisedGreyNU: String?,
                        percentage: String?) -> [String: Double] {
        let g = iv.count
        var pg = [Double](repeating: 0, count: g)
        var ps: [Int: Double] = [:]
        var nz = 0.0
        for e in entries { pg[e.slot] += e.count; ps[e.size, default: 0] += e.count; nz += e.count }
        let eps = Double.ulpOfOne
        var small = 0.0, large = 0.0, sizeNU = 0.0, np = 0.0, uj = 0.0
        for (size, v) in ps {
            let j = Double(size)
            small += v / (j * j); large += v * j * j; sizeNU += v * v; np += v * j; uj += v / nz * j
        }
        var sizeVar = 0.0
        for (size, v) in ps { let d = Double(size) - uj; sizeVar += v / nz * d * d }
        var greyNU = 0.0, low = 0.0, high = 0.0, ui = 0.0
        for r in 0..<g {
            greyNU += pg[r] * pg[r]; low += pg[r] / (iv[r] * iv[r]); high += pg[r] * iv[r] * iv[r]; ui += pg[r] / nz * iv[r]
        }
        var greyVar = 0.0
        for r in 0..<g { greyVar += pg[r] / nz * (iv[r] - ui) * (iv[r] - ui) }
        var smallLow = 0.0, smallHigh = 0.0, largeLow = 0.0, largeHigh = 0.0, entropy = 0.0
        for e in entries where e.count > 0 {
            let i2 = iv[e.slot] * iv[e.slot], j2 = Double(e.size * e.size)
            smallLow += e.count / (i2 * j2); smallHigh += e.count * i2 / j2
            largeLow += e.count * j2 / i2; largeHigh += e.count * i2 * j2
            let p = e.count / nz
            entropy -= p * log2(p + eps)
        }
        var out: [String: Double] = [:]
        out[names.sizeSmall] = small / nz           // IBSI 5QRC (GLSZM) / SODN (NGLDM)
        out[names.sizeLarge] = large / nz           // IBSI 48P8 / IMOQ
        out["GrayLevelNonUniformity"] = greyNU / nz // IBSI JNSA / FP8K
        if let name = normalisedGreyNU { out[name] = greyNU / (nz * nz) }  // IBSI Y1RO / 5SPA
        out[names.sizeNU] = sizeNU / nz             // IBSI 4JP3 / Z87G
        out[normalisedSizeNU] = sizeNU / (nz * nz)  // IBSI VB3A / OKJI
        if let name = percentage { out[name] = nz / (np == 0 ? 1 : np) } // IBSI P30P
        out["GrayLevelVariance"] = greyVar          // IBSI BYLV / 1PFV
        out[names.sizeVar] = sizeVar                // IBSI 3NSA / DNX2
        out[names.entropy] = entropy                // IBSI GU8N / FCBV
        out[names.lowGrey] = low / nz               // IBSI XMSY / TL9H
        out[names.highGrey] = high / nz             // IBSI 5GN9 / OAE7
        out[names.smallLow] = smallLow / nz         // IBSI 5RAI / EQ3F
        out[names.smallHigh] = smallHigh / nz       // IBSI HW1V / JA6D
        out[names.largeLow] = largeLow / nz         // IBSI YH51 / NBZI
        out[names.largeHigh] = largeHigh / nz       // IBSI J17V / 9QMG
        return out
    }
}
