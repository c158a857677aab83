import LinearAlgebra

/// Where a voxel grid sits in the patient: spacing, origin and direction cosines.
///
/// Convention (stated once, used everywhere): world coordinates are **LPS** millimetres, as in
/// DICOM and ITK (+x towards the patient's Left, +y Posterior, +z Superior). NIfTI's RAS+ is
/// converted at the NIfTI boundary (`Geometry.fromRAS` / `rasAffine`), nowhere else.
///
/// `direction` holds the world direction of the i, j and k voxel axes as its **columns**
/// (row-major 3 × 3). A voxel index (i, j, k) maps to
/// `world = origin + direction · diag(spacing) · (i, j, k)`.
public struct Geometry: Equatable, Sendable {
    /// Voxel size along i, j, k in millimetres; each strictly positive.
    public var spacing: SIMD3<Double>
    /// World (LPS) position of the centre of voxel (0, 0, 0).
    public var origin: SIMD3<Double>
    /// Direction cosines: column c is the world direction of voxel axis c.
    public var direction: Matrix

    public init(spacing: SIMD3<Double> = .one, origin: SIMD3<Double> = .zero,
                direction: Matrix = .identity(3)) {
        precondition(direction.rows == 3 && direction.columns == 3, "direction must be 3 × 3")
        self.spacing = spacing
        self.origin = origin
        self.direction = direction
    }

    /// A geometry from the world directions of the i, j and k axes (unit vectors).
    public init(spacing: SIMD3<Double>, origin: SIMD3<Double>, axes: (i: SIMD3<Double>, j: SIMD3<Double>, k: SIMD3<Double>)) {
        var d = Matrix(rows: 3, columns: 3)
        for r in 0..<3 { d[r, 0] = axes.i[r]; d[r, 1] = axes.j[r]; d[r, 2] = axes.k[r] }
        self.init(spacing: spacing, origin: origin, direction: d)
    }

    /// The 4 × 4 voxel-index → LPS-world matrix (row-major).
    public var indexToWorld: Matrix {
        var m = Matrix.identity(4)
        for r in 0..<3 {
            for c in 0..<3 { m[r, c] = direction[r, c] * spacing[c] }
            m[r, 3] = origin[r]
        }
        return m
    }

    /// The 4 × 4 LPS-world → voxel-index matrix (row-major).
    public var worldToIndex: Matrix {
        // Direction matrices may be slightly non-orthogonal when read from files, so invert
        // the full affine rather than transposing the direction.
        // indexToWorld is invertible whenever spacing > 0 and direction is non-singular,
        // which `validate()` checks.
        (try? indexToWorld.inverted()) ?? Matrix.identity(4)
    }

    /// World (LPS) position of a continuous voxel index.
    public func world(ofIndex ijk: SIMD3<Double>) -> SIMD3<Double> {
        var out = origin
        for r in 0..<3 {
            for c in 0..<3 { out[r] += direction[r, c] * spacing[c] * ijk[c] }
        }
        return out
    }

    /// Continuous voxel index of a world (LPS) position.
    public func index(ofWorld p: SIMD3<Double>) -> SIMD3<Double> {
        let m = worldToIndex
        var out = SIMD3<Double>.zero
        for r in 0..<3 {
            out[r] = m[r, 0] * p.x + m[r, 1] * p.y + m[r, 2] * p.z + m[r, 3]
        }
        return out
    }

    /// Checks what a file can get wrong: spacing finite and positive, direction non-singular.
    public func validate() throws {
        for c in 0..<3 where !(spacing[c].isFinite && spacing[c] > 0) {
            throw VolumeError.invalidGeometry("spacing along axis \(c) is \(spacing[c]); it must be finite and > 0")
        }
        guard origin.x.isFinite, origin.y.isFinite, origin.z.isFinite,
              direction.elements.allSatisfy(\.isFinite) else {
            throw VolumeError.invalidGeometry("origin or direction contains a non-finite value")
        }
        let d = direction
        let det = d[0, 0] * (d[1, 1] * d[2, 2] - d[1, 2] * d[2, 1])
            - d[0, 1] * (d[1, 0] * d[2, 2] - d[1, 2] * d[2, 0])
            + d[0, 2] * (d[1, 0] * d[2, 1] - d[1, 1] * d[2, 0])
        guard abs(det) > 1e-6 else {
            throw VolumeError.invalidGeometry("direction cosines are degenerate (determinant \(det))")
        }
    }

    /// A geometry from a 4 × 4 voxel → **RAS** affine (NIfTI's world), converted to LPS.
    /// Spacing is the column norms; direction the normalised columns.
    public static func fromRAS(affine: Matrix) -> Geometry {
        precondition(affine.rows == 4 && affine.columns == 4, "affine must be 4 × 4")
        var lps = affine
        for c in 0..<4 { lps[0, c] = -lps[0, c]; lps[1, c] = -lps[1, c] }
        var spacing = SIMD3<Double>.zero
        var dir = Matrix(rows: 3, columns: 3)
        for c in 0..<3 {
            let n = (lps[0, c] * lps[0, c] + lps[1, c] * lps[1, c] + lps[2, c] * lps[2, c]).squareRoot()
            spacing[c] = n
            for r in 0..<3 { dir[r, c] = n > 0 ? lps[r, c] / n : (r == c ? 1 : 0) }
        }
        return Geometry(spacing: spacing, origin: SIMD3(lps[0, 3], lps[1, 3], lps[2, 3]), direction: dir)
    }

    /// The 4 × 4 voxel → **RAS** affine, as NIfTI stores it and nibabel reports it.
    public var rasAffine: Matrix {
        var m = indexToWorld
        for c in 0..<4 { m[0, c] = -m[0, c]; m[1, c] = -m[1, c] }
        return m
    }
}

extension Geometry {
    /// Same grid placement within `tolerance` mm / direction cosine.
    public func isClose(to other: Geometry, tolerance: Double = 1e-3) -> Bool {
        let d = spacing - other.spacing, o = origin - other.origin
        return max(abs(d.x), abs(d.y), abs(d.z)) <= tolerance && max(abs(o.x), abs(o.y), abs(o.z)) <= tolerance
            && zip(direction.elements, other.direction.elements).allSatisfy { abs($0 - $1) <= tolerance }
    }
}
