/// The region of interest cropped to its bounding box: what every feature class reads.
///
/// Layout as in `Volume`: index `i + nx * (j + ny * k)`, i fastest. pyradiomics' NumPy arrays
/// are (z, y, x) with x fastest: the same memory order, so neighbour offsets and run
/// directions mean the same here and there.
struct Region: Sendable {
    /// Bounding-box size (i, j, k).
    let size: SIMD3<Int>
    /// Voxel spacing in mm (i, j, k).
    let spacing: SIMD3<Double>
    /// Intensities of every bounding-box voxel (outside the region too).
    let intensities: [Double]
    /// Whether each bounding-box voxel belongs to the region.
    let inside: [Bool]
    /// Number of region voxels.
    let voxelCount: Int

    var voxelsInBox: Int { size.x * size.y * size.z }

    /// Intensities of the region's voxels, in memory order.
    var regionIntensities: [Double] {
        var out: [Double] = []
        out.reserveCapacity(voxelCount)
        for n in 0..<voxelsInBox where inside[n] { out.append(intensities[n]) }
        return out
    }
}

/// The 13 neighbour directions of a 3-D grid at Chebyshev distance 1, one of each ± pair
/// (pyradiomics' `generate_angles` for distance 1; IBSI 1 section 3.6, figure 3.6). Offsets as
/// (di, dj, dk).
enum NeighbourOffsets {
    /// One direction of each of the 13 pairs.
    static let half: [SIMD3<Int>] = {
        var out: [SIMD3<Int>] = []
        for dk in -1...1 {
            for dj in -1...1 {
                for di in -1...1 {
                    let o = SIMD3(di, dj, dk)
                    if o == .zero { continue }
                    // Keep the offset whose first non-zero component (k, then j, then i) is positive.
                    let lead = dk != 0 ? dk : (dj != 0 ? dj : di)
                    if lead > 0 { out.append(o) }
                }
            }
        }
        return out
    }()

    /// All 26 neighbours.
    static let all: [SIMD3<Int>] = half + half.map { SIMD3<Int>.zero &- $0 }
}

extension Region {
    /// Flat index of (i, j, k).
    @inline(__always) func index(_ i: Int, _ j: Int, _ k: Int) -> Int { i + size.x * (j + size.y * k) }

    /// Calls `body(n, m)` for every pair of region voxels n → m = n + offset inside the box.
    @inline(__always)
    func forEachPair(offset o: SIMD3<Int>, _ body: (Int, Int) -> Void) {
        let nx = size.x, ny = size.y, nz = size.z
        let step = o.x + nx * (o.y + ny * o.z)
        for k in max(0, -o.z)..<min(nz, nz - o.z) {
            for j in max(0, -o.y)..<min(ny, ny - o.y) {
                let row = nx * (j + ny * k)
                for i in max(0, -o.x)..<min(nx, nx - o.x) {
                    let n = row + i
                    if inside[n] && inside[n + step] { body(n, n + step) }
                }
            }
        }
    }
}
