import Foundation
import Testing
@testable import Volumes

/// A smooth phantom: a few ellipsoid "tissues" with soft edges in an oblong body.
private func phantom(_ p: SIMD3<Double>) -> Double {
    func blob(_ c: SIMD3<Double>, _ r: SIMD3<Double>) -> Double {
        let d = (p - c) / r
        return 1 / (1 + exp(8 * ((d * d).sum().squareRoot() - 1)))
    }
    return 0.2 * blob(SIMD3(0, 0, 0), SIMD3(40, 30, 20)) + 0.5 * blob(SIMD3(-12, 6, 3), SIMD3(9, 7, 6))
        + 0.8 * blob(SIMD3(14, -8, -4), SIMD3(6, 11, 5)) + 0.35 * blob(SIMD3(5, 14, 8), SIMD3(12, 5, 7))
        + 0.6 * blob(SIMD3(-6, -14, -6), SIMD3(5, 5, 9))
}

/// The phantom sampled on a grid, seen through motion M (the anatomy at a moves to M(a)), with
/// an intensity remap (another contrast) and seeded noise.
private func image(size: SIMD3<Int>, spacing: SIMD3<Double>, motion: RigidTransform = .identity,
                   remap: (Double) -> Double = { $0 }, noise: Double = 0.01, seed: UInt64 = 1) -> Volume {
    let extent = SIMD3(Double(size.x - 1), Double(size.y - 1), Double(size.z - 1)) * spacing
    let g = Geometry(spacing: spacing, origin: -extent / 2 + SIMD3(1.3, -0.8, 0.5))
    var v = try! Volume(size: size, geometry: g, repeating: 0)
    var state = seed
    for k in 0..<size.z { for j in 0..<size.y { for i in 0..<size.x {
        let p = g.world(ofIndex: SIMD3(Double(i), Double(j), Double(k)))
        state = state &* 6364136223846793005 &+ 1442695040888963407
        let u = Double(state >> 11) / Double(1 << 53) - 0.5
        v[i, j, k] = Float(remap(phantom(motion.applyInverse(p))) + noise * u)
    } } }
    return v
}

/// Rotation angle (degrees) of R_a R_bᵀ and the distance between the two maps at `point`.
func transformError(_ a: RigidTransform, _ b: RigidTransform, at point: SIMD3<Double>) -> (degrees: Double, mm: Double) {
    let ra = a.rotationRows, rb = b.rotationRows
    var trace = 0.0
    for r in 0..<3 { trace += (ra[r] * rb[r]).sum() }
    let angle = acos(max(-1, min(1, (trace - 1) / 2))) * 180 / .pi
    let d = a.apply(point) - b.apply(point)
    return (angle, (d * d).sum().squareRoot())
}

private var fastSettings: RigidRegistrationSettings {
    var s = RigidRegistrationSettings()
    s.samplingFraction = 0.25
    return s
}

@Test func analyticGradientMatchesFiniteDifferences() throws {
    // The moving image covers the fixed one with room to spare, so no sample crosses its border
    // (a sample entering or leaving makes the value jump, which finite differences cannot follow).
    let fixed = image(size: SIMD3(36, 30, 16), spacing: SIMD3(2, 2, 3))
    let moving = image(size: SIMD3(56, 50, 24), spacing: SIMD3(2.1, 1.9, 3.3),
                       motion: RigidTransform(rotationDegrees: SIMD3(3, -2, 4), translation: SIMD3(2, -3, 1.5)),
                       remap: { 1 - 0.8 * $0 * $0 })
    let reg = try RigidRegistration(fixed: fixed, settings: { var s = fastSettings; s.shrinkFactors = [1]; s.smoothingSigmasMm = [0]; return s }())
    let metric = MattesMutualInformation(bins: 50, fixed: reg.levels[0].samples, moving: moving.smoothed(sigmaMm: 2),
                                         centre: reg.centre, threads: 2)
    let mu = [0.02, -0.01, 0.03, 1.0, -1.0, 0.5]
    let e0 = metric.evaluate(mu)
    #expect(e0.validSamples == reg.levels[0].samples.count)
    let g = e0.gradient
    let steps = [1e-3, 1e-3, 1e-3, 2e-2, 2e-2, 2e-2]
    var numeric: [Double] = []
    for j in 0..<6 {
        var up = mu, down = mu
        up[j] += steps[j]; down[j] -= steps[j]
        numeric.append((metric.evaluate(up).value - metric.evaluate(down).value) / (2 * steps[j]))
    }
    for j in 0..<6 {
        let scale = j < 3 ? 30.0 : 1.0 // compare as physical shifts (radians × ~30 mm)
        // Trilinear interpolation has kinks at voxel faces, so central differences agree to a few %.
        #expect(abs(g[j] - numeric[j]) / scale <= 0.08 * max(abs(numeric[j]) / scale, 1e-3), "parameter \(j): analytic \(g[j]) numeric \(numeric[j])")
    }
}

@Test func registeringAnImageToItselfGivesTheIdentity() throws {
    let fixed = image(size: SIMD3(64, 56, 28), spacing: SIMD3(1.4, 1.4, 2.5))
    // What remains is the Parzen estimator's own slight bias (box window for the fixed image,
    // cubic for the moving one) and sampling noise: a tenth of a degree, under 0.15 mm at 54 mm.
    let result = try RigidRegistration(fixed: fixed, name: "A", settings: fastSettings).register(fixed, name: "A again")
    let e = transformError(result.transform, .identity, at: SIMD3(40, 30, 20))
    #expect(e.degrees < 0.15 && e.mm < 0.15, "\(result.transform)")
    #expect(result.overlapFraction > 0.99)
}

@Test func recoversAKnownRigidMotionAcrossContrasts() throws {
    let truth = RigidTransform(rotationDegrees: SIMD3(2.5, -1.5, 3), translation: SIMD3(4, -3, 2))
    let fixed = image(size: SIMD3(64, 56, 28), spacing: SIMD3(1.4, 1.4, 2.5))
    let moving = image(size: SIMD3(60, 60, 20), spacing: SIMD3(1.5, 1.3, 3.5), motion: truth,
                       remap: { 0.9 - 0.7 * $0 + 0.4 * $0 * $0 * $0 }, noise: 0.02, seed: 9)
    let result = try RigidRegistration(fixed: fixed, name: "T1", settings: fastSettings).register(moving, name: "T2")
    // The generator's motion maps fixed-frame points to where they appear in the moving image:
    // the registration's convention, so the two transforms agree as maps.
    for point in [SIMD3(0.0, 0, 0), SIMD3(30, 25, 15), SIMD3(-30, -20, -15)] {
        let e = transformError(result.transform, truth, at: point)
        #expect(e.degrees < 0.75 && e.mm < 0.5, "\(result.transform) at \(point): \(e)")
    }
    #expect(result.metricAfter < result.metricBefore)
}

@Test func imagesThatDoNotOverlapFailNamingBoth() throws {
    let fixed = image(size: SIMD3(32, 32, 16), spacing: SIMD3(2, 2, 3))
    var far = fixed
    far.geometry.origin += SIMD3(500, 0, 0)
    #expect {
        _ = try RigidRegistration(fixed: fixed, name: "dce phase 0", settings: fastSettings).register(far, name: "t2")
    } throws: { error in
        guard let e = error as? VolumeError, case .noOverlap(let f, let m, _, _) = e else { return false }
        return f == "dce phase 0" && m == "t2" && e.description.contains("'t2'") && e.description.contains("'dce phase 0'")
    }
}

@Test func badSettingsAreRefusedByName() throws {
    let fixed = image(size: SIMD3(16, 16, 8), spacing: SIMD3(2, 2, 3))
    var s = RigidRegistrationSettings()
    s.smoothingSigmasMm = [1]
    #expect(throws: VolumeError.self) { try RigidRegistration(fixed: fixed, settings: s) }
    s = RigidRegistrationSettings()
    s.samplingFraction = 0
    #expect(throws: VolumeError.self) { try RigidRegistration(fixed: fixed, settings: s) }
    #expect(throws: VolumeError.self) { try RigidRegistration(fixed: try Volume(size: SIMD3(8, 8, 8), repeating: 3)) }
}
