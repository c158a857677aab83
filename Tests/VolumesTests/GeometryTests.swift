import Foundation
import Testing
import LinearAlgebra
@testable import Volumes

@Test func worldAndIndexAreInverse() throws {
    let theta = 0.3
    let dir = Matrix([[cos(theta), -sin(theta), 0], [sin(theta), cos(theta), 0], [0, 0, 1]])
    let g = Geometry(spacing: SIMD3(0.7, 0.8, 2.5), origin: SIMD3(-100, 20, 35), direction: dir)
    for ijk in [SIMD3<Double>(0, 0, 0), SIMD3(10, 5, 3), SIMD3(1.5, -2, 7.25)] {
        let back = g.index(ofWorld: g.world(ofIndex: ijk))
        #expect(abs(back.x - ijk.x) < 1e-9 && abs(back.y - ijk.y) < 1e-9 && abs(back.z - ijk.z) < 1e-9)
    }
    let p = try g.indexToWorld.multiplied(by: g.worldToIndex)
    for i in 0..<4 { for j in 0..<4 { #expect(abs(p[i, j] - (i == j ? 1 : 0)) < 1e-12) } }
}

@Test func rasConversionFlipsFirstTwoAxesOnly() {
    // A nibabel-style RAS affine: 2 mm voxels, origin (10, 20, 30) RAS.
    let ras = Matrix([[2, 0, 0, 10], [0, 2, 0, 20], [0, 0, 3, 30], [0, 0, 0, 1]])
    let g = Geometry.fromRAS(affine: ras)
    #expect(g.origin == SIMD3(-10, -20, 30))
    #expect(g.spacing == SIMD3(2, 2, 3))
    #expect(g.direction[0, 0] == -1 && g.direction[1, 1] == -1 && g.direction[2, 2] == 1)
    #expect(g.rasAffine == ras)
}

@Test func badGeometryAndSizesAreRefused() throws {
    #expect(throws: VolumeError.self) { try Geometry(spacing: SIMD3(1, 0, 1)).validate() }
    #expect(throws: VolumeError.self) { try Geometry(spacing: SIMD3(1, .nan, 1)).validate() }
    #expect(throws: VolumeError.self) { try Volume(size: SIMD3(2, 2, 2), samples: [0]) }
    #expect(throws: VolumeError.self) { try Volume(size: SIMD3(1 << 40, 1 << 40, 1 << 40), repeating: 0) }
    let v = try Volume(size: SIMD3(2, 3, 4), phases: 2, repeating: 1)
    #expect(v.phase(1).samples.count == 24)
    #expect(try Volume.stacking([v.phase(0), v.phase(1)]) == v)
}

@Test func rigidTransformInverseUndoesApply() {
    let t = RigidTransform(rotationDegrees: SIMD3(2, -3, 5), translation: SIMD3(1.5, -2, 0.5), centre: SIMD3(10, 20, -5))
    for p in [SIMD3<Double>(0, 0, 0), SIMD3(30, -12, 7)] {
        let back = t.applyInverse(t.apply(p))
        #expect(abs(back.x - p.x) < 1e-12 && abs(back.y - p.y) < 1e-12 && abs(back.z - p.z) < 1e-12)
    }
    // A rotation keeps distances (a property of any rigid motion).
    let a = SIMD3<Double>(3, 4, 5), b = SIMD3<Double>(-7, 1, 2)
    let d0 = ((a - b) * (a - b)).sum(), d1 = ((t.apply(a) - t.apply(b)) * (t.apply(a) - t.apply(b))).sum()
    #expect(abs(d0 - d1) < 1e-9)
    // 90° about z maps +x to +y (right-handed).
    let q = RigidTransform(rotationDegrees: SIMD3(0, 0, 90)).apply(SIMD3(1, 0, 0))
    #expect(abs(q.x) < 1e-12 && abs(q.y - 1) < 1e-12)
}
