import Foundation
import Testing
@testable import Volumes

/// A grid with an oblique direction and anisotropic spacing, filled with a function of world position.
private func filled(_ size: SIMD3<Int>, _ g: Geometry, _ f: (SIMD3<Double>) -> Double) -> Volume {
    var v = try! Volume(size: size, geometry: g, repeating: 0)
    for k in 0..<size.z { for j in 0..<size.y { for i in 0..<size.x {
        v[i, j, k] = Float(f(g.world(ofIndex: SIMD3(Double(i), Double(j), Double(k)))))
    } } }
    return v
}

private let oblique = Geometry(spacing: SIMD3(0.8, 1.1, 2.0), origin: SIMD3(-10, 4, -7),
                               axes: (i: SIMD3(0.9950042, 0.0998334, 0), j: SIMD3(-0.0998334, 0.9950042, 0), k: SIMD3(0, 0, 1)))

@Test func resamplingOntoTheSameGridIsExact() throws {
    let v = filled(SIMD3(9, 8, 5), oblique) { p in sin(p.x) + p.y * p.z }
    #expect(try v.resampled(onto: v).samples == v.samples)
    #expect(try v.resampled(onto: v, interpolation: .nearest).samples == v.samples)
}

@Test func trilinearReproducesAffineFunctionsThroughARigidTransform() throws {
    // A linear function of world position is reproduced exactly by trilinear interpolation, so
    // output(x) = f(T(x)) can be checked point by point (the slow twin is the formula itself).
    let f: (SIMD3<Double>) -> Double = { 3 + 0.5 * $0.x - 0.25 * $0.y + 0.75 * $0.z }
    let source = filled(SIMD3(30, 28, 14), oblique, f)
    let target = Geometry(spacing: SIMD3(1.3, 0.9, 1.7), origin: SIMD3(-4, 9, -2))
    let t = RigidTransform(rotationDegrees: SIMD3(2, -3, 4), translation: SIMD3(1.5, -0.7, 0.4), centre: SIMD3(5, 15, 5))
    let out = try source.resampled(size: SIMD3(12, 11, 6), geometry: target, transform: t, outside: -999)
    var inside = 0
    for k in 0..<6 { for j in 0..<11 { for i in 0..<12 {
        let x = target.world(ofIndex: SIMD3(Double(i), Double(j), Double(k)))
        let y = t.apply(x)
        let idx = oblique.index(ofWorld: y)
        let within = (0..<3).allSatisfy { idx[$0] >= 0 && idx[$0] <= Double(source.size[$0] - 1) }
        guard within else { continue }
        inside += 1
        #expect(abs(Double(out[i, j, k]) - f(y)) < 1e-3)
    } } }
    #expect(inside > 500)
}

@Test func nearestNeighbourKeepsMaskValuesAndOutsideIsTheFillValue() throws {
    var m = try Volume(size: SIMD3(10, 10, 10), repeating: 0)
    for k in 3..<7 { for j in 3..<7 { for i in 3..<7 { m[i, j, k] = 1 } } }
    let shifted = try m.resampled(onto: m, transform: RigidTransform(translation: SIMD3(2, 0, 0)), interpolation: .nearest, outside: 7)
    #expect(Set(shifted.samples) == [0, 1, 7])
    // output(x) = m(x + 2): the cube moves 2 voxels towards −i.
    #expect(shifted[1, 4, 4] == 1 && shifted[5, 4, 4] == 0 && shifted[4, 4, 4] == 1)
    #expect(shifted[9, 4, 4] == 7)
}

@Test func smoothingHasTheRequestedVarianceInMillimetres() throws {
    let g = Geometry(spacing: SIMD3(0.7, 1.0, 2.0))
    var v = try Volume(size: SIMD3(41, 31, 21), geometry: g, repeating: 0)
    v[20, 15, 10] = 1
    let sigma = 2.0
    let s = v.smoothed(sigmaMm: sigma)
    #expect(abs(s.samples.reduce(0, +) - 1) < 1e-5)
    for axis in 0..<3 {
        var m2 = 0.0
        for k in 0..<21 { for j in 0..<31 { for i in 0..<41 {
            let d = (SIMD3(Double(i), Double(j), Double(k)) - SIMD3(20, 15, 10)) * g.spacing
            m2 += Double(s[i, j, k]) * d[axis] * d[axis]
        } } }
        // A sampled Gaussian's variance is σ² up to discretisation (coarse along k: 2 mm voxels, σ = 1 voxel).
        #expect(abs(m2.squareRoot() - sigma) < 0.06 * sigma, "axis \(axis): sd \(m2.squareRoot())")
    }
}

@Test func shrinkingKeepsTheGridCentreAndTheMean() throws {
    let v = filled(SIMD3(16, 12, 8), oblique) { p in p.x * 0.1 + p.y }
    let s = v.shrunk(by: 4)
    #expect(s.size == SIMD3(4, 3, 2))
    let c0 = v.geometry.world(ofIndex: SIMD3(7.5, 5.5, 3.5)), c1 = s.geometry.world(ofIndex: SIMD3(1.5, 1, 0.5))
    #expect(((c0 - c1) * (c0 - c1)).sum() < 1e-12)
    let m0 = v.samples.reduce(0, +) / Float(v.samples.count), m1 = s.samples.reduce(0, +) / Float(s.samples.count)
    #expect(abs(m0 - m1) < 1e-4 * max(1, abs(m0)))
    // A linear function's block mean is its value at the block centre.
    let w = s.geometry.world(ofIndex: SIMD3(2, 1, 1))
    #expect(abs(Double(s[2, 1, 1]) - (w.x * 0.1 + w.y)) < 1e-3)
}
