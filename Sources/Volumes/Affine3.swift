/// A 3-D affine map p ↦ L·p + t, its linear part stored by rows, for the index ↔ world maps
/// that resampling evaluates once per voxel (no matrix allocation, no LAPACK call).
public struct Affine3: Equatable, Sendable {
    /// Rows of the linear part L.
    public var row0: SIMD3<Double>
    public var row1: SIMD3<Double>
    public var row2: SIMD3<Double>
    public var translation: SIMD3<Double>

    public init(row0: SIMD3<Double>, row1: SIMD3<Double>, row2: SIMD3<Double>, translation: SIMD3<Double>) {
        self.row0 = row0
        self.row1 = row1
        self.row2 = row2
        self.translation = translation
    }

    /// L·p + t.
    @inline(__always)
    public func apply(_ p: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3((row0 * p).sum(), (row1 * p).sum(), (row2 * p).sum()) + translation
    }

    /// L·v (a direction: no translation).
    @inline(__always)
    public func applyLinear(_ v: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3((row0 * v).sum(), (row1 * v).sum(), (row2 * v).sum())
    }

    /// det(L).
    public var determinant: Double {
        row0.x * (row1.y * row2.z - row1.z * row2.y)
            - row0.y * (row1.x * row2.z - row1.z * row2.x)
            + row0.z * (row1.x * row2.y - row1.y * row2.x)
    }

    /// The inverse map (L⁻¹ by cofactors, t' = −L⁻¹·t), or nil when |det L| ≤ `singularity`.
    public func inverted(singularity: Double = 1e-12) -> Affine3? {
        let det = determinant
        guard det.isFinite, abs(det) > singularity else { return nil }
        let c0 = SIMD3(row1.y * row2.z - row1.z * row2.y, row0.z * row2.y - row0.y * row2.z, row0.y * row1.z - row0.z * row1.y)
        let c1 = SIMD3(row1.z * row2.x - row1.x * row2.z, row0.x * row2.z - row0.z * row2.x, row0.z * row1.x - row0.x * row1.z)
        let c2 = SIMD3(row1.x * row2.y - row1.y * row2.x, row0.y * row2.x - row0.x * row2.y, row0.x * row1.y - row0.y * row1.x)
        let inv = Affine3(row0: c0 / det, row1: c1 / det, row2: c2 / det, translation: .zero)
        return Affine3(row0: inv.row0, row1: inv.row1, row2: inv.row2, translation: -inv.applyLinear(translation))
    }
}
