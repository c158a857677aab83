import Foundation
import Testing
@testable import Volumes

/// `maskLongestDiameter` (boundary voxels only) against all pairs of mask voxels, and a sphere.
@Suite struct MaskLongestDiameterTests {
    @Test func matchesAllPairsOnRandomMasks() throws {
        var state: UInt64 = 3
        func unit() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) * 0x1.0p-53 }
        for _ in 0..<6 {
            let size = SIMD3(8, 9, 5)
            let geometry = Geometry(spacing: SIMD3(0.7, 0.9, 2.2), origin: SIMD3(-3, 4, 1))
            let samples = (0..<(8 * 9 * 5)).map { _ in Float(unit() < 0.3 ? 1 : 0) }
            let v = try Volume(size: size, geometry: geometry, samples: samples)
            var points: [SIMD3<Double>] = []
            for k in 0..<5 { for j in 0..<9 { for i in 0..<8 where v[i, j, k] > 0.5 {
                points.append(geometry.world(ofIndex: SIMD3(Double(i), Double(j), Double(k))))
            } } }
            var best = 0.0
            for a in points { for b in points { best = max(best, ((a - b) * (a - b)).sum()) } }
            #expect(abs(v.maskLongestDiameter - best.squareRoot()) < 1e-9)
        }
    }

    @Test func sphereDiameterWithinAVoxel() throws {
        let size = SIMD3(41, 41, 21), spacing = SIMD3(0.8, 0.8, 1.6), r = 12.0
        var samples = [Float](repeating: 0, count: 41 * 41 * 21)
        for k in 0..<21 { for j in 0..<41 { for i in 0..<41 {
            let d = SIMD3(Double(i - 20), Double(j - 20), Double(k - 10)) * spacing
            if (d * d).sum() <= r * r { samples[i + 41 * (j + 41 * k)] = 1 }
        } } }
        let v = try Volume(size: size, geometry: Geometry(spacing: spacing), samples: samples)
        #expect(v.maskLongestDiameter <= 2 * r && v.maskLongestDiameter > 2 * r - 1.6)
    }
}
