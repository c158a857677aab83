import Foundation

/// A rigid motion of the patient in world (LPS) space: a rotation about `centre` followed by a
/// translation. Rotation angles are in degrees about the world x, y, z axes, applied in that
/// order (R = Rz · Ry · Rx), as ITK's Euler3DTransform with `ComputeZYX` on. (ITK's default,
/// and SimpleITK's, is R = Rz · Rx · Ry — checked against SimpleITK 2.5.7 — so compare
/// rotations with ITK as matrices, not as angles.)
public struct RigidTransform: Equatable, Sendable, Codable {
    /// Rotation about x, y, z in degrees.
    public var rotationDegrees: SIMD3<Double>
    /// Translation in millimetres.
    public var translation: SIMD3<Double>
    /// Centre of rotation (world, mm).
    public var centre: SIMD3<Double>

    public init(rotationDegrees: SIMD3<Double> = .zero, translation: SIMD3<Double> = .zero,
                centre: SIMD3<Double> = .zero) {
        self.rotationDegrees = rotationDegrees
        self.translation = translation
        self.centre = centre
    }

    public static let identity = RigidTransform()

    /// The 3 × 3 rotation R = Rz · Ry · Rx as rows.
    public var rotationRows: [SIMD3<Double>] {
        let r = rotationDegrees * (Double.pi / 180)
        let (cx, sx, cy, sy, cz, sz) = (cos(r.x), sin(r.x), cos(r.y), sin(r.y), cos(r.z), sin(r.z))
        return [
            SIMD3(cz * cy, cz * sy * sx - sz * cx, cz * sy * cx + sz * sx),
            SIMD3(sz * cy, sz * sy * sx + cz * cx, sz * sy * cx - cz * sx),
            SIMD3(-sy, cy * sx, cy * cx),
        ]
    }

    /// Moves a point: p' = R (p − c) + c + t.
    public func apply(_ p: SIMD3<Double>) -> SIMD3<Double> {
        let rows = rotationRows
        let q = p - centre
        return SIMD3((rows[0] * q).sum(), (rows[1] * q).sum(), (rows[2] * q).sum()) + centre + translation
    }

    /// Undoes `apply`: p = Rᵀ (p' − c − t) + c.
    public func applyInverse(_ p: SIMD3<Double>) -> SIMD3<Double> {
        let rows = rotationRows
        let q = p - centre - translation
        return rows[0] * q.x + rows[1] * q.y + rows[2] * q.z + centre
    }
}
