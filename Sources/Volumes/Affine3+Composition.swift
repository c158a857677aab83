/// Composition of affine maps, so the grid maps and a rigid transform are combined once per
/// call instead of per voxel.
extension Affine3 {
    static let identity = Affine3(row0: SIMD3(1, 0, 0), row1: SIMD3(0, 1, 0), row2: SIMD3(0, 0, 1), translation: .zero)

    /// Column c of the linear part.
    func column(_ c: Int) -> SIMD3<Double> { SIMD3(row0[c], row1[c], row2[c]) }

    /// self ∘ other: p ↦ self(other(p)).
    func after(_ o: Affine3) -> Affine3 {
        let c0 = applyLinear(o.column(0)), c1 = applyLinear(o.column(1)), c2 = applyLinear(o.column(2))
        return Affine3(row0: SIMD3(c0.x, c1.x, c2.x), row1: SIMD3(c0.y, c1.y, c2.y), row2: SIMD3(c0.z, c1.z, c2.z),
                       translation: apply(o.translation))
    }

    /// A rigid transform as an affine map: p ↦ R (p − c) + c + t.
    static func rigid(_ t: RigidTransform) -> Affine3 {
        let rows = t.rotationRows
        let r = Affine3(row0: rows[0], row1: rows[1], row2: rows[2], translation: .zero)
        return Affine3(row0: rows[0], row1: rows[1], row2: rows[2],
                       translation: t.centre + t.translation - r.applyLinear(t.centre))
    }

    /// LPS world → continuous index of a validated grid.
    static func worldToIndex(_ g: Geometry) -> Affine3 {
        guard let m = g.worldToIndexMap else { preconditionFailure("singular geometry; Volume validated it") }
        return m
    }
}
