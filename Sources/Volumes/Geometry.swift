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
    public var spacing: SIMD3<Double> { didSet { updateMaps() } }
    /// World (LPS) position of the centre of voxel (0, 0, 0).
    public var origin: SIMD3<Double> { didSet { updateMaps() } }
    /// Direction cosines: column c is the world direction of voxel axis c.
    public var direction: Matrix { didSet { updateMaps() } }

    /// Voxel index → LPS world, computed once whenever the geometry changes.
    public private(set) var indexToWorldMap = Affine3(row0: [1, 0, 0], row1: [0, 1, 0], row2: [0, 0, 1], translation: .zero)
    /// LPS world → voxel index; nil when the direction is singular (`validate()` refuses such a
    /// geometry, so every Volume has one).
    public private(set) var worldToIndexMap: Affine3? = Affine3(row0: [1, 0, 0], row1: [0, 1, 0], row2: [0, 0, 1], translation: .zero)

    private mutating func updateMaps() {
        func row(_ r: Int) -> SIMD3<Double> { SIMD3(direction[r, 0], direction[r, 1], direction[r, 2]) * spacing }
        indexToWorldMap = Affine3(row0: row(0), row1: row(1), row2: row(2), translation: origin)
        // Direction matrices read from files may be slightly non-orthogonal, so the full
        // affine is inverted rather than the direction transposed.
        worldToIndexMap = indexToWorldMap.inverted()
    }

    public init(spacing: SIMD3<Double> = .one, origin: SIMD3<Double> = .zero,
                direction: Matrix = .identity(3)) {
        precondition(direction.rows == 3 && direction.columns == 3, "direction must be 3 × 3")
        self.spacing = spacing
        self.origin = origin
        self.direction = direction
        updateMaps()
    }

    /// A geometry from the world directions of the i, j and k axes (unit vectors).
    public init(spacing: SIMD3<Double>, origin: SIMD3<Double>, axes: (i: SIMD3<Double>, j: SIMD3<Double>, k: SIMD3<Double>)) {
        var d = Matrix(rows: 3, columns: 3)
        for r in 0..<3 { d[r, 0] = axes.i[r]; d[r, 1] = axes.j[r]; d[r, 2] = axes.k[r] }
        self.init(spacing: spacing, origin: origin, direction: d)
    }

    /// The 4 × 4 voxel-index → LPS-world matrix (row-major).
    public var indexToWorld: Matrix { Geometry.matrix(indexToWorldMap) }

    /// The 4 × 4 LPS-world → voxel-index matrix (row-major). A programmer's error on a geometry
    /// that `validate()` would refuse (singular direction): never a silent identity.
    public var worldToIndex: Matrix { Geometry.matrix(checkedWorldToIndex) }

    /// World (LPS) position of a continuous voxel index.
    @inline(__always)
    public func world(ofIndex ijk: SIMD3<Double>) -> SIMD3<Double> { indexToWorldMap.apply(ijk) }

    /// Continuous voxel index of a world (LPS) position.
    @inline(__always)
    public func index(ofWorld p: SIMD3<Double>) -> SIMD3<Double> { checkedWorldToIndex.apply(p) }

    private var checkedWorldToIndex: Affine3 {
        guard let m = worldToIndexMap else {
            preconditionFailure("world → index of a singular geometry (direction \(direction.elements)); validate() refuses it")
        }
        return m
    }

    private static func matrix(_ a: Affine3) -> Matrix {
        var m = Matrix.identity(4)
        for c in 0..<3 {
            m[0, c] = a.row0[c]; m[1, c] = a.row1[c]; m[2, c] = a.row2[c]
        }
        for r in 0..<3 { m[r, 3] = a.translation[r] }
        return m
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
