import Foundation

/// Grey levels of the region after discretisation: 1 … Ng inside the region, 0 outside.
struct DiscretisedRegion: Sendable {
    /// Grey level per bounding-box voxel (0 outside the region).
    let levels: [Int32]
    /// The grey levels that occur in the region, ascending (pyradiomics' `grayLevels`).
    let presentLevels: [Int]
    /// The highest grey level in the region (pyradiomics' `Ng`).
    let maxLevel: Int
    /// The bin edges used (pyradiomics' `binEdges`), for the diagnostics.
    let edges: [Double]
}

/// Image discretisation (IBSI 1, section 2.7 "Discretisation"; pyradiomics
/// `imageoperations.getBinEdges` / `binImage`).
///
/// - **Fixed bin size** (IBSI FBS): IBSI bins from the region's minimum,
///   `X_d = ⌊(X − X_min) / w_b⌋ + 1`. pyradiomics instead starts the first bin at the minimum
///   rounded *down to a multiple of the bin width*, `X_low = X_min − (X_min mod w_b)`, so bins
///   are aligned to 0 across patients; the level is NumPy's `digitize` against
///   `arange(X_low, X_max + 2 w_b, w_b)`. The two agree when X_min is a multiple of w_b.
/// - **Fixed bin number** (IBSI FBN): IBSI `X_d = ⌊N_g (X − X_min)/(X_max − X_min)⌋ + 1`, with
///   X_max mapped to N_g. pyradiomics uses NumPy's histogram edges (`linspace(min, max, N+1)`,
///   the last edge raised by 1) and `digitize`: the same bins up to rounding at the edges.
///
/// pyradiomics reproduces NumPy's arithmetic precisely: for float32 images the lower and upper
/// bounds are computed in float32 (NumPy 2's promotion rules), `arange` fills
/// `start + i·(start + step − start)`, and `linspace` fills `i·step + start`.
enum Discretisation {
    static func discretise(_ region: Region, settings: RadiomicsSettings, sampleType: SampleType) throws -> DiscretisedRegion {
        let values = region.regionIntensities
        guard let lo = values.min(), let hi = values.max() else {
            throw RadiomicsError.regionTooSmall("no voxel in the region")
        }
        let edges: [Double]
        let level: (Double) -> Int
        switch (settings.discretisation, settings.binCount) {
        case (.pyradiomics, nil):
            edges = pyradiomicsWidthEdges(min: lo, max: hi, width: settings.binWidth, sampleType: sampleType)
            level = { digitize($0, edges) }
        case let (.pyradiomics, count?):
            edges = pyradiomicsCountEdges(min: lo, max: hi, count: count, sampleType: sampleType)
            level = { digitize($0, edges) }
        case (.ibsi, nil):
            let w = settings.binWidth
            edges = [lo, w]
            level = { Int(((($0 - lo) / w)).rounded(.down)) + 1 }
        case let (.ibsi, count?):
            edges = [lo, hi]
            let n = Double(count)
            level = { x in
                if hi == lo { return 1 }
                if x >= hi { return count }
                return Int((n * (x - lo) / (hi - lo)).rounded(.down)) + 1
            }
        }
        var levels = [Int32](repeating: 0, count: region.voxelsInBox)
        var present = Set<Int>()
        for n in 0..<region.voxelsInBox where region.inside[n] {
            let l = level(region.intensities[n])
            levels[n] = Int32(l)
            present.insert(l)
        }
        let sorted = present.sorted()
        return DiscretisedRegion(levels: levels, presentLevels: sorted, maxLevel: sorted.last ?? 0, edges: edges)
    }

    /// NumPy's `digitize(x, edges)` for increasing edges: the number of edges ≤ x.
    static func digitize(_ x: Double, _ edges: [Double]) -> Int {
        var lo = 0, hi = edges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if edges[mid] <= x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// pyradiomics' fixed-bin-width edges.
    static func pyradiomicsWidthEdges(min: Double, max: Double, width: Double, sampleType: SampleType) -> [Double] {
        let low: Double, high: Double
        if sampleType == .float32 {
            let fmin = Float(min), fw = Float(width)
            var mod = fmodf(fmin, fw)
            if mod != 0 { if (fw < 0) != (mod < 0) { mod += fw } }
            low = Double(fmin - mod)
            high = Double(Float(max) + Float(2 * width))
        } else {
            var mod = fmod(min, width)
            if mod != 0 { if (width < 0) != (mod < 0) { mod += width } }
            low = min - mod
            high = max + 2 * width
        }
        var edges = numpyArange(start: low, stop: high, step: width)
        if edges.count == 1 { edges = [edges[0] - 0.5, edges[0] + 0.5] }
        return edges
    }

    /// NumPy's `arange(start, stop, step)` in float64.
    static func numpyArange(start: Double, stop: Double, step: Double) -> [Double] {
        let length = Int(((stop - start) / step).rounded(.up))
        guard length > 0 else { return [] }
        var out = [start]
        if length == 1 { return out }
        let second = start + step
        out.append(second)
        let delta = second - start
        for i in 2..<length { out.append(start + Double(i) * delta) }
        return out
    }

    /// pyradiomics' fixed-bin-count edges: NumPy's `histogram(values, count)` edges, last + 1.
    /// NumPy computes them in the values' float type (float32 images: float32 throughout).
    static func pyradiomicsCountEdges(min: Double, max: Double, count: Int, sampleType: SampleType) -> [Double] {
        let num = count + 1
        if sampleType == .float32 {
            var first = Float(min), last = Float(max)
            if first == last { first -= 0.5; last += 0.5 }
            let step = (last - first) / Float(count)
            var edges = (0..<num).map { Float($0) * step + first }
            edges[num - 1] = last
            edges[num - 1] += 1
            return edges.map(Double.init)
        }
        var first = min, last = max
        if first == last { first -= 0.5; last += 0.5 }
        let step = (last - first) / Double(count)
        var edges = (0..<num).map { Double($0) * step + first }
        edges[num - 1] = last + 1
        return edges
    }
}
