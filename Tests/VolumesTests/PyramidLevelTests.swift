import Foundation
import Testing
@testable import Volumes

/// Second moment (mm²) along each voxel axis of a non-negative volume about its centroid.
private func variances(_ v: Volume) -> SIMD3<Double> {
    var total = 0.0, m1 = SIMD3<Double>.zero, m2 = SIMD3<Double>.zero
    for k in 0..<v.size.z { for j in 0..<v.size.y { for i in 0..<v.size.x {
        let w = Double(v[i, j, k])
        let p = SIMD3(Double(i), Double(j), Double(k)) * v.geometry.spacing
        total += w; m1 += w * p; m2 += w * p * p
    } } }
    let mean = m1 / total
    return m2 / total - mean * mean
}

/// A Gaussian blob of standard deviation `sd` mm (σ² adds under convolution, the invariant tested).
private func blob(size: SIMD3<Int>, spacing: SIMD3<Double>, sd: Double) -> Volume {
    let g = Geometry(spacing: spacing)
    var v = try! Volume(size: size, geometry: g, repeating: 0)
    let c = SIMD3(Double(size.x - 1), Double(size.y - 1), Double(size.z - 1)) / 2 * spacing
    for k in 0..<size.z { for j in 0..<size.y { for i in 0..<size.x {
        let d = SIMD3(Double(i), Double(j), Double(k)) * spacing - c
        v[i, j, k] = Float(exp(-(d * d).sum() / (2 * sd * sd)))
    } } }
    return v
}

@Test func aPyramidLevelBlursByσWhateverTheBlockMeansTook() throws {
    // 0.7 × 0.7 × 2 mm voxels, level at 2.8 mm: in-plane block means of 4, slices kept.
    let v = blob(size: SIMD3(96, 96, 40), spacing: SIMD3(0.7, 0.7, 2.0), sd: 4)
    let sigma = 2.0
    let level = v.pyramidLevel(sigmaMm: sigma, resolutionMm: 2.8)
    #expect(level.size == SIMD3(24, 24, 40))
    let before = variances(v), after = variances(level)
    for axis in 0..<3 {
        // Variances add: blob 16 mm² + σ² 4 mm² (box of the block means included in σ).
        let added = after[axis] - before[axis]
        #expect(abs(added - sigma * sigma) < 0.1 * sigma * sigma, "axis \(axis): added \(added) mm²")
    }
}

@Test func aPyramidLevelAtFullResolutionIsTheSmoothedImage() throws {
    let v = blob(size: SIMD3(20, 18, 10), spacing: SIMD3(0.9, 0.9, 3), sd: 3)
    let a = v.pyramidLevel(sigmaMm: 1, resolutionMm: 0), b = v.smoothed(sigmaMm: 1)
    #expect(a.size == b.size && a.samples == b.samples)
}

@Test func sortingSamplesByTileLeavesTheMetricUnchanged() throws {
    let fixed = blob(size: SIMD3(40, 36, 16), spacing: SIMD3(1.2, 1.2, 2.5), sd: 9)
    var moving = blob(size: SIMD3(44, 40, 12), spacing: SIMD3(1.1, 1.1, 3.5), sd: 8)
    moving.samples = moving.samples.map { 1 - $0 * $0 }
    var s = RigidRegistrationSettings()
    s.shrinkFactors = [1]; s.smoothingSigmasMm = [0]; s.samplingFraction = 0.3
    let reg = try RigidRegistration(fixed: fixed, settings: s)
    var shuffled = reg.levels[0].samples
    // Reverse order = a different permutation (tile keys descending): the sums must not care.
    shuffled.sortByTile(shuffled.bins.indices.map { Int32(shuffled.count - 1 - $0) })
    #expect(shuffled.qx == reg.levels[0].samples.qx.reversed())
    let mu = [0.01, -0.02, 0.015, 0.8, -0.5, 0.3]
    let a = MattesMutualInformation(bins: 50, fixed: reg.levels[0].samples, moving: moving, centre: reg.centre, threads: 2).evaluate(mu)
    let b = MattesMutualInformation(bins: 50, fixed: shuffled, moving: moving, centre: reg.centre, threads: 2).evaluate(mu)
    #expect(a.validSamples == b.validSamples)
    #expect(abs(a.value - b.value) < 1e-6 * abs(a.value))
    for j in 0..<6 { #expect(abs(a.gradient[j] - b.gradient[j]) < 1e-4 * max(abs(a.gradient[j]), 1e-6)) }
}
