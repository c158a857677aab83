import Foundation

/// 3-D shape of the region from its surface mesh: pyradiomics' `shape` class.
///
/// IBSI 1 chapter 3.1 "Morphological features" (codes in brackets). The mesh is made by marching
/// cubes over the mask padded by one empty voxel, with vertices at edge midpoints
/// (`MarchingCubesTable`); coordinates are voxel indices times spacing (mm), direction ignored.
/// - Mesh volume V = |Σ signed tetrahedron volumes (origin, triangle)| (IBSI RNU0); surface area
///   A = Σ triangle areas (C0JK); voxel volume = N_v × voxel volume (YEKZ).
/// - Sphericity (36πV²)^{1/3}/A (QCFX); surface-to-volume ratio A/V (2PR5).
/// - Maximum 3-D diameter: the largest distance between mesh vertices (L0JK); the 2-D maxima
///   take vertex pairs in one axial slice (same z), one coronal plane (same y, "Column") and one
///   sagittal plane (same x, "Row") — not in IBSI.
/// - Principal axes from the eigenvalues λ₁ ≥ λ₂ ≥ λ₃ of the covariance of the voxel-centre
///   coordinates (population covariance): major 4√λ₁ (TDIC), minor 4√λ₂ (P9VJ), least 4√λ₃
///   (7J51); elongation √(λ₂/λ₁) (Q3CK) and flatness √(λ₃/λ₁) (N17B).
/// Where pyradiomics departs from IBSI: its mesh differs from the reference implementation's in
/// where the 2-D diameters are taken; IBSI has no 2-D diameters.
enum ShapeFeatures {
    static let names = ["Elongation", "Flatness", "LeastAxisLength", "MajorAxisLength", "Maximum2DDiameterColumn",
                        "Maximum2DDiameterRow", "Maximum2DDiameterSlice", "Maximum3DDiameter", "MeshVolume",
                        "MinorAxisLength", "Sphericity", "SurfaceArea", "SurfaceVolumeRatio", "VoxelVolume"]
    static let deprecated = ["Compactness1", "Compactness2", "SphericalDisproportion"]

    /// Surface area, mesh volume and the four diameters (slice, column, row, 3-D).
    struct Mesh {
        var area = 0.0
        var volume = 0.0
        var vertices: [SIMD3<Double>] = []
    }

    static func mesh(_ region: Region) -> Mesh {
        // Padded mask in (z, y, x) terms: x fastest.
        let nx = region.size.x + 2, ny = region.size.y + 2, nz = region.size.z + 2
        var padded = [Bool](repeating: false, count: nx * ny * nz)
        for k in 0..<region.size.z {
            for j in 0..<region.size.y {
                for i in 0..<region.size.x where region.inside[region.index(i, j, k)] {
                    padded[(i + 1) + nx * ((j + 1) + ny * (k + 1))] = true
                }
            }
        }
        let spacing = SIMD3(region.spacing.z, region.spacing.y, region.spacing.x)   // (z, y, x)
        let corners = MarchingCubesTable.corners
        let cornerStep = corners.map { $0[2] + nx * ($0[1] + ny * $0[0]) }
        let mid = MarchingCubesTable.edgeMidpoints
        let table = MarchingCubesTable.triangles
        var out = Mesh()
        for iz in 0..<(nz - 1) {
            for iy in 0..<(ny - 1) {
                for ix in 0..<(nx - 1) {
                    let base = ix + nx * (iy + ny * iz)
                    var cube = 0
                    for c in 0..<8 where padded[base + cornerStep[c]] { cube |= 1 << c }
                    var sign = 1.0
                    if cube & 0x80 != 0 { cube ^= 0xff; sign = -1 }
                    let origin = SIMD3(Double(iz), Double(iy), Double(ix))
                    // Each surface vertex once: the edges 6, 7, 11 at corner 7 of every cube.
                    for (corner, edge) in [(6, 6), (4, 7), (3, 11)] where cube & (1 << corner) != 0 {
                        out.vertices.append((origin + mid[edge]) * spacing)
                    }
                    if cube == 0 { continue }
                    let tri = table[cube]
                    var t = 0
                    while t < tri.count {
                        let a = (origin + mid[tri[t]]) * spacing
                        let b = (origin + mid[tri[t + 1]]) * spacing
                        let c = (origin + mid[tri[t + 2]]) * spacing
                        out.volume += sign * dot(cross(a, b), c)
                        let n = cross(a - c, b - c)
                        out.area += 0.5 * dot(n, n).squareRoot()
                        t += 3
                    }
                }
            }
        }
        out.volume /= 6
        return out
    }

    /// Largest vertex distances: (same z, same y, same x, any) — pyradiomics' diameters.
    /// Squared distances are summed z, y, x as pyradiomics does, so the maxima are identical.
    /// The 3-D maximum is the all-pairs loop over coordinate arrays (vectorised); the 2-D maxima
    /// only compare vertices of one plane, grouped by their exact coordinate.
    static func diameters(_ v: [SIMD3<Double>]) -> (slice: Double, column: Double, row: Double, any: Double) {
        let n = v.count
        let z = v.map(\.x), y = v.map(\.y), x = v.map(\.z)
        // Exact pruning: |a − b| ≤ r_a + r_b (r = distance to the centroid). Visit vertices by
        // decreasing r and stop once r_a + r_b cannot beat the best squared distance found.
        var centre = SIMD3<Double>.zero
        for p in v { centre += p }
        centre /= Double(max(n, 1))
        let radius = v.map { p -> Double in let d = p - centre; return (d * d).sum().squareRoot() }
        let order = (0..<n).sorted { radius[$0] > radius[$1] }
        let zs = order.map { z[$0] }, ys = order.map { y[$0] }, xs = order.map { x[$0] }, rs = order.map { radius[$0] }
        // A good first guess: the farthest vertex from the farthest-out vertex.
        var best = 0.0
        if n > 1 {
            for b in 1..<n {
                let dz = zs[0] - zs[b], dy = ys[0] - ys[b], dx = xs[0] - xs[b]
                best = max(best, dz * dz + dy * dy + dx * dx)
            }
        }
        let slack = 1 + 1e-9
        zs.withUnsafeBufferPointer { zp in
            ys.withUnsafeBufferPointer { yp in
                xs.withUnsafeBufferPointer { xp in
                    rs.withUnsafeBufferPointer { rp in
                        for a in 0..<n {
                            if a + 1 < n, (rp[a] + rp[a + 1]) * slack * (rp[a] + rp[a + 1]) * slack < best { break }
                            let za = zp[a], ya = yp[a], xa = xp[a], ra = rp[a]
                            // Candidates b > a with (r_a + r_b)² ≥ best form a prefix of the order.
                            var end = n
                            var lo = a + 1, hi = n
                            while lo < hi {
                                let mid = (lo + hi) / 2
                                if (ra + rp[mid]) * slack * (ra + rp[mid]) * slack >= best { lo = mid + 1 } else { hi = mid }
                            }
                            end = lo
                            var m = 0.0
                            for b in (a + 1)..<max(end, a + 1) {
                                let dz = za - zp[b], dy = ya - yp[b], dx = xa - xp[b]
                                let d = dz * dz + dy * dy + dx * dx
                                m = d > m ? d : m
                            }
                            if m > best { best = m }
                        }
                    }
                }
            }
        }
        func planar(_ key: [Double]) -> Double {
            var groups: [Double: [Int]] = [:]
            for (i, k) in key.enumerated() { groups[k, default: []].append(i) }
            var m = 0.0
            for members in groups.values {
                for (p, a) in members.enumerated() {
                    for b in members[(p + 1)...] {
                        let dz = z[a] - z[b], dy = y[a] - y[b], dx = x[a] - x[b]
                        m = max(m, dz * dz + dy * dy + dx * dx)
                    }
                }
            }
            return m
        }
        return (planar(z).squareRoot(), planar(y).squareRoot(), planar(x).squareRoot(), best.squareRoot())
    }

    static func compute(_ region: Region) -> [String: Double] {
        let m = mesh(region)
        let d = diameters(m.vertices)
        // Principal axes: covariance of voxel-centre coordinates (mm), population normalisation.
        var coords: [SIMD3<Double>] = []
        coords.reserveCapacity(region.voxelCount)
        for k in 0..<region.size.z {
            for j in 0..<region.size.y {
                for i in 0..<region.size.x where region.inside[region.index(i, j, k)] {
                    coords.append(SIMD3(Double(k), Double(j), Double(i)) * SIMD3(region.spacing.z, region.spacing.y, region.spacing.x))
                }
            }
        }
        let np = Double(coords.count)
        let mean = coords.reduce(SIMD3<Double>.zero, +) / np
        var cov = [Double](repeating: 0, count: 9)
        for c in coords {
            let x = (c - mean) / np.squareRoot()
            for r in 0..<3 { for s in 0..<3 { cov[r * 3 + s] += x[r] * x[s] } }
        }
        var eigen = SymmetricEigenvalues.of(cov, n: 3)
        for e in 0..<3 where eigen[e] < 0 && eigen[e] > -1e-10 { eigen[e] = 0 }
        eigen.sort()
        func axis(_ l: Double) -> Double { l < 0 ? .nan : l.squareRoot() * 4 }
        let volume = m.volume, area = m.area
        let s = region.spacing
        var out: [String: Double] = [:]
        out["MeshVolume"] = volume
        out["VoxelVolume"] = np * (s.x * s.y * s.z)
        out["SurfaceArea"] = area
        out["SurfaceVolumeRatio"] = area / volume
        out["Sphericity"] = pow(36 * Double.pi * volume * volume, 1.0 / 3.0) / area
        out["Compactness1"] = volume / (pow(area, 1.5) * Double.pi.squareRoot())   // IBSI SKGS
        out["Compactness2"] = 36 * Double.pi * volume * volume / (area * area * area)   // IBSI BQWJ
        out["SphericalDisproportion"] = area / pow(36 * Double.pi * volume * volume, 1.0 / 3.0)  // IBSI KRCK
        out["Maximum3DDiameter"] = d.any
        out["Maximum2DDiameterSlice"] = d.slice
        out["Maximum2DDiameterColumn"] = d.column
        out["Maximum2DDiameterRow"] = d.row
        out["MajorAxisLength"] = axis(eigen[2])
        out["MinorAxisLength"] = axis(eigen[1])
        out["LeastAxisLength"] = axis(eigen[0])
        out["Elongation"] = eigen[1] < 0 || eigen[2] < 0 ? .nan : (eigen[1] / eigen[2]).squareRoot()
        out["Flatness"] = eigen[0] < 0 || eigen[2] < 0 ? .nan : (eigen[0] / eigen[2]).squareRoot()
        return out
    }

    @inline(__always) static func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(a.y * b.z - b.y * a.z, a.z * b.x - b.z * a.x, a.x * b.y - b.x * a.y)
    }

    @inline(__always) static func dot(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double {
        a.x * b.x + a.y * b.y + a.z * b.z
    }
}
