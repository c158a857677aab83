import Testing
@testable import Volumes

/// A random blobby mask: thresholded sum of a few random balls.
private func randomMask(size: SIMD3<Int>, spacing: SIMD3<Double>, seed: UInt64) -> Volume {
    var state = seed
    func uniform() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53)
    }
    var centres: [(SIMD3<Double>, Double)] = []
    for _ in 0..<5 {
        centres.append((SIMD3(uniform() * Double(size.x), uniform() * Double(size.y), uniform() * Double(size.z)) * spacing,
                        1 + 3 * uniform()))
    }
    var s = [Float](repeating: 0, count: size.x * size.y * size.z)
    for k in 0..<size.z { for j in 0..<size.y { for i in 0..<size.x {
        let p = SIMD3(Double(i), Double(j), Double(k)) * spacing
        let inside = centres.contains { c in let d = p - c.0; return (d * d).sum() <= c.1 * c.1 } || uniform() < 0.03
        s[i + size.x * (j + size.y * k)] = inside ? 1 : 0
    } } }
    return try! Volume(size: size, geometry: Geometry(spacing: spacing), samples: s)
}

/// The slow twin: the ball's offsets applied voxel by voxel.
private func bruteForce(_ m: Volume, radius: Double, dilate: Bool) -> [Float] {
    let n = m.size, s = m.geometry.spacing
    let reach = SIMD3(Int(radius / s.x), Int(radius / s.y), Int(radius / s.z))
    var ball: [SIMD3<Int>] = []
    for dk in -reach.z...reach.z { for dj in -reach.y...reach.y { for di in -reach.x...reach.x {
        let d = SIMD3(Double(di), Double(dj), Double(dk)) * s
        if (d * d).sum() <= radius * radius * (1 + 1e-9) { ball.append(SIMD3(di, dj, dk)) }
    } } }
    var out = [Float](repeating: 0, count: m.voxelsPerPhase)
    for k in 0..<n.z { for j in 0..<n.y { for i in 0..<n.x {
        var hit = !dilate
        for b in ball {
            let a = SIMD3(i, j, k) &+ b
            guard a.x >= 0, a.y >= 0, a.z >= 0, a.x < n.x, a.y < n.y, a.z < n.z else { continue }
            let v = m[a.x, a.y, a.z] > 0.5
            if dilate && v { hit = true; break }
            if !dilate && !v { hit = false; break }
        }
        out[m.index(i, j, k)] = hit ? 1 : 0
    } } }
    return out
}

@Test func dilationAndErosionMatchTheBallAppliedVoxelByVoxel() {
    for (seed, spacing, radius) in [(1 as UInt64, SIMD3(1.0, 1.0, 1.0), 2.0), (2, SIMD3(0.7, 0.7, 2.0), 2.5),
                                    (3, SIMD3(1.1, 0.9, 1.6), 1.0), (4, SIMD3(0.8, 0.8, 2.5), 3.3)] {
        let m = randomMask(size: SIMD3(23, 19, 11), spacing: spacing, seed: seed)
        #expect(m.dilated(radiusMm: radius).samples == bruteForce(m, radius: radius, dilate: true), "seed \(seed)")
        #expect(m.eroded(radiusMm: radius).samples == bruteForce(m, radius: radius, dilate: false), "seed \(seed)")
    }
}

@Test func openingAndClosingAreIdempotentAndOrdered() {
    let m = randomMask(size: SIMD3(24, 24, 12), spacing: SIMD3(0.9, 0.9, 2), seed: 7)
    let o = m.opened(radiusMm: 2), c = m.closed(radiusMm: 2)
    #expect(o.opened(radiusMm: 2).samples == o.samples)
    #expect(c.closed(radiusMm: 2).samples == c.samples)
    for v in 0..<m.voxelsPerPhase {
        #expect(o.samples[v] <= m.samples[v] && m.samples[v] <= c.samples[v])
    }
}

@Test func distanceTransformIsEuclideanInMillimetres() {
    // One feature voxel: the squared distance is the exact anisotropic Euclidean distance.
    let size = SIMD3(9, 7, 5), s = SIMD3(0.7, 1.3, 2.0)
    let d = DistanceTransform.squaredDistances(size: size, spacing: s) { $0 == 4 + 9 * (3 + 7 * 2) }
    for k in 0..<5 { for j in 0..<7 { for i in 0..<9 {
        let e = SIMD3(Double(i - 4), Double(j - 3), Double(k - 2)) * s
        #expect(abs(d[i + 9 * (j + 7 * k)] - (e * e).sum()) < 1e-9)
    } } }
    #expect(DistanceTransform.squaredDistances(size: size, spacing: s) { _ in false }.allSatisfy { $0 == .infinity })
}

/// The slow twin for labels: union-find over all neighbour pairs.
private func unionFindSizes(_ m: Volume, _ c: Connectivity) -> [Int] {
    let n = m.voxelsPerPhase
    var parent = Array(0..<n)
    func find(_ x: Int) -> Int { var x = x; while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }; return x }
    for k in 0..<m.size.z { for j in 0..<m.size.y { for i in 0..<m.size.x where m[i, j, k] > 0.5 {
        for o in c.offsets {
            let a = SIMD3(i, j, k) &+ o
            guard a.x >= 0, a.y >= 0, a.z >= 0, a.x < m.size.x, a.y < m.size.y, a.z < m.size.z, m[a.x, a.y, a.z] > 0.5 else { continue }
            let r1 = find(m.index(i, j, k)), r2 = find(m.index(a.x, a.y, a.z))
            if r1 != r2 { parent[r1] = r2 }
        }
    } } }
    var count: [Int: Int] = [:]
    for v in 0..<n where m.samples[v] > 0.5 { count[find(v), default: 0] += 1 }
    return count.values.sorted()
}

@Test func connectedComponentsMatchUnionFind() {
    for seed in [11, 12, 13] as [UInt64] {
        let m = randomMask(size: SIMD3(20, 18, 9), spacing: SIMD3(1, 1, 1), seed: seed)
        for c in Connectivity.allCases {
            let cc = m.connectedComponents(connectivity: c)
            #expect(cc.sizes.sorted() == unionFindSizes(m, c))
            #expect(cc.sizes.reduce(0, +) == m.maskVoxelCount)
            // Every voxel of a component carries its label, and the counts agree.
            for (index, size) in cc.sizes.enumerated() {
                #expect(cc.labels.filter { $0 == Int32(index + 1) }.count == size)
            }
        }
    }
}

@Test func diagonalNeighboursJoinOnlyWithFullConnectivity() throws {
    var m = try Volume(size: SIMD3(4, 4, 4), repeating: 0)
    m[0, 0, 0] = 1; m[1, 1, 1] = 1; m[3, 3, 3] = 1; m[3, 3, 2] = 1
    #expect(m.connectedComponents(connectivity: .faces).sizes == [1, 1, 2])
    #expect(m.connectedComponents(connectivity: .full).sizes == [2, 2])
    #expect(m.largestComponent().maskVoxelCount == 2)
    #expect(m.connectedComponents().mask(minimumVoxels: 2).maskVoxelCount == 4)
}

@Test func otsuMatchesAnExhaustiveSearchOverCuts() {
    // Integer grey levels 0…255 with bins = 256: one level per bin, so the exhaustive search
    // over cuts of the raw data is the same problem.
    var state: UInt64 = 99
    var values: [Float] = []
    for i in 0..<5000 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        let u = Double(state >> 11) / Double(1 << 53)
        let centre = i % 3 == 0 ? 60.0 : 170.0
        values.append(Float(max(0, min(255, (centre + 40 * (u - 0.5)).rounded()))))
    }
    values.append(0); values.append(255)
    let t = OtsuThreshold.threshold(values, bins: 256)
    var best = -1.0, bestCut: Float = 0
    for cut in 0..<255 {
        let lo = values.filter { $0 <= Float(cut) }, hi = values.filter { $0 > Float(cut) }
        guard !lo.isEmpty, !hi.isEmpty else { continue }
        let w0 = Double(lo.count) / Double(values.count), w1 = 1 - w0
        let m0 = lo.reduce(0) { $0 + Double($1) } / Double(lo.count), m1 = hi.reduce(0) { $0 + Double($1) } / Double(hi.count)
        let between = w0 * w1 * (m0 - m1) * (m0 - m1)
        if between > best { best = between; bestCut = Float(cut) }
    }
    // Otsu's threshold is the upper edge of the lower class's last bin: cut + 1 on this scale
    // (bin width 255/256 here, so allow one bin).
    #expect(abs(t - (bestCut + 1)) <= 1.01, "Otsu \(t), exhaustive cut \(bestCut)")
    #expect(OtsuThreshold.threshold([Float](repeating: 3, count: 10)) == 3)
}

@Test func threeClassOtsuSeparatesThreeModes() {
    var values: [Float] = []
    for i in 0..<3000 { values.append(Float(i % 3 == 0 ? 10 + i % 7 : (i % 3 == 1 ? 50 + i % 5 : 120 + i % 9))) }
    let (t1, t2) = OtsuThreshold.thresholds3(values)
    #expect(t1 > 16 && t1 <= 50, "\(t1)")
    #expect(t2 > 54 && t2 <= 120, "\(t2)")
}

@Test func holeFillingFillsEnclosedCavitiesOnly() throws {
    var m = try Volume(size: SIMD3(9, 9, 9), repeating: 0)
    for k in 1..<8 { for j in 1..<8 { for i in 1..<8 { m[i, j, k] = 1 } } }
    m[4, 4, 4] = 0; m[3, 4, 4] = 0          // an enclosed cavity
    m[1, 1, 4] = 0                          // a notch open to the outside via (0,1,4)
    let f = m.filledHoles()
    #expect(f[4, 4, 4] == 1 && f[3, 4, 4] == 1)
    #expect(f[1, 1, 4] == 0) // the notch opens to the outside: not a hole
    #expect(f[0, 0, 0] == 0)
    #expect(f.maskVoxelCount == 7 * 7 * 7 - 1)
}
