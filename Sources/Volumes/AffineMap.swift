/// A 3-D affine map y = M x + b in double precision, for composing the grid and rigid maps
/// once per call instead of per voxel.
struct AffineMap: Sendable {
    /// Rows of M.
    var r0: SIMD3<Double>, r1: SIMD3<Double>, r2: SIMD3<Double>
    var b: SIMD3<Double>

    static let identity = AffineMap(r0: SIMD3(1, 0, 0), r1: SIMD3(0, 1, 0), r2: SIMD3(0, 0, 1), b: .zero)

    @inline(__always)
    func apply(_ x: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3((r0 * x).sum(), (r1 * x).sum(), (r2 * x).sum()) + b
    }

    /// M x without the offset.
    @inline(__always)
    func linear(_ x: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3((r0 * x).sum(), (r1 * x).sum(), (r2 * x).sum())
    }

    /// Column c of M.
    func column(_ c: Int) -> SIMD3<Double> { SIMD3(r0[c], r1[c], r2[c]) }

    /// self ∘ other: x ↦ self(other(x)).
    func after(_ o: AffineMap) -> AffineMap {
        let c0 = linear(o.column(0)), c1 = linear(o.column(1)), c2 = linear(o.column(2))
        return AffineMap(r0: SIMD3(c0.x, c1.x, c2.x), r1: SIMD3(c0.y, c1.y, c2.y), r2: SIMD3(c0.z, c1.z, c2.z),
                         b: apply(o.b))
    }

    /// Voxel index → LPS world of a grid.
    static func indexToWorld(_ g: Geometry) -> AffineMap {
        let m = g.indexToWorld
        return AffineMap(r0: SIMD3(m[0, 0], m[0, 1], m[0, 2]), r1: SIMD3(m[1, 0], m[1, 1], m[1, 2]),
                         r2: SIMD3(m[2, 0], m[2, 1], m[2, 2]), b: SIMD3(m[0, 3], m[1, 3], m[2, 3]))
    }

    /// LPS world → continuous voxel index of a grid (the exact inverse of `indexToWorld`).
    static func worldToIndex(_ g: Geometry) -> AffineMap {
        indexToWorld(g).inverse
    }

    /// The inverse map (M must be non-singular, which `Geometry.validate` checks for grids).
    var inverse: AffineMap {
        // Adjugate / determinant.
        let a = r0, b2 = r1, c = r2
        let det = a.x * (b2.y * c.z - b2.z * c.y) - a.y * (b2.x * c.z - b2.z * c.x) + a.z * (b2.x * c.y - b2.y * c.x)
        precondition(det != 0 && det.isFinite, "singular affine map")
        let inv = 1 / det
        let i0 = SIMD3(b2.y * c.z - b2.z * c.y, a.z * c.y - a.y * c.z, a.y * b2.z - a.z * b2.y) * inv
        let i1 = SIMD3(b2.z * c.x - b2.x * c.z, a.x * c.z - a.z * c.x, a.z * b2.x - a.x * b2.z) * inv
        let i2 = SIMD3(b2.x * c.y - b2.y * c.x, a.y * c.x - a.x * c.y, a.x * b2.y - a.y * b2.x) * inv
        let m = AffineMap(r0: i0, r1: i1, r2: i2, b: .zero)
        var out = m
        out.b = -m.linear(self.b)
        return out
    }

    /// The rigid transform as an affine map: x ↦ R (x − c) + c + t.
    static func rigid(_ t: RigidTransform) -> AffineMap {
        let rows = t.rotationRows
        let m = AffineMap(r0: rows[0], r1: rows[1], r2: rows[2], b: .zero)
        var out = m
        out.b = t.centre + t.translation - m.linear(t.centre)
        return out
    }
}
