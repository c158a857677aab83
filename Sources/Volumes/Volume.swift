/// A 3-D image grid with an optional fourth axis (DCE phases, fMRI time points), float32 samples
/// and the geometry that places it in the patient.
///
/// Layout (stated once): `samples[i + nx * (j + ny * (k + nz * t))]` — i (column) fastest, as in
/// NIfTI and in DICOM pixel data (column, row, slice).
public struct Volume: Equatable, Sendable {
    /// Grid size along i, j, k.
    public let size: SIMD3<Int>
    /// Number of volumes along the fourth axis (1 for a plain 3-D image).
    public let phases: Int
    public var geometry: Geometry
    public var samples: [Float]

    /// A volume over existing samples; the count must match `size` and `phases`.
    public init(size: SIMD3<Int>, phases: Int = 1, geometry: Geometry = Geometry(), samples: [Float]) throws {
        guard size.x > 0, size.y > 0, size.z > 0, phases > 0 else {
            throw VolumeError.invalidSize("grid \(size.x)×\(size.y)×\(size.z)×\(phases) must be positive")
        }
        let (n, overflow) = Volume.voxelCount(size: size, phases: phases)
        guard !overflow, samples.count == n else {
            throw VolumeError.invalidSize("\(samples.count) samples for a \(size.x)×\(size.y)×\(size.z)×\(phases) grid")
        }
        try geometry.validate()
        self.size = size
        self.phases = phases
        self.geometry = geometry
        self.samples = samples
    }

    /// A volume filled with `value`.
    public init(size: SIMD3<Int>, phases: Int = 1, geometry: Geometry = Geometry(), repeating value: Float = 0) throws {
        let (n, overflow) = Volume.voxelCount(size: size, phases: phases)
        guard !overflow, n > 0 else {
            throw VolumeError.invalidSize("grid \(size.x)×\(size.y)×\(size.z)×\(phases) must be positive")
        }
        try self.init(size: size, phases: phases, geometry: geometry,
                      samples: [Float](repeating: value, count: n))
    }

    /// Voxels in one 3-D phase.
    public var voxelsPerPhase: Int { size.x * size.y * size.z }

    /// Linear index of voxel (i, j, k) in phase t.
    @inline(__always)
    public func index(_ i: Int, _ j: Int, _ k: Int, phase t: Int = 0) -> Int {
        i + size.x * (j + size.y * (k + size.z * t))
    }

    public subscript(i: Int, j: Int, k: Int, phase t: Int = 0) -> Float {
        get { samples[index(i, j, k, phase: t)] }
        set { samples[index(i, j, k, phase: t)] = newValue }
    }

    /// One phase as its own 3-D volume with the same geometry.
    public func phase(_ t: Int) -> Volume {
        precondition(t >= 0 && t < phases, "phase \(t) out of 0..<\(phases)")
        let n = voxelsPerPhase
        // Size and geometry were validated when `self` was made.
        return try! Volume(size: size, geometry: geometry, samples: Array(samples[(t * n)..<((t + 1) * n)]))
    }

    /// Stacks 3-D volumes of one grid into a 4-D volume (phase order as given).
    public static func stacking(_ volumes: [Volume]) throws -> Volume {
        guard let first = volumes.first else { throw VolumeError.invalidSize("no volumes to stack") }
        for v in volumes where v.size != first.size || v.phases != 1 {
            throw VolumeError.invalidSize("cannot stack grids \(first.size) and \(v.size) (phases \(v.phases))")
        }
        return try Volume(size: first.size, phases: volumes.count, geometry: first.geometry,
                          samples: volumes.flatMap(\.samples))
    }

    /// The voxel count of a grid, with overflow reported instead of trapping.
    public static func voxelCount(size: SIMD3<Int>, phases: Int) -> (Int, Bool) {
        var n = 1
        for d in [size.x, size.y, size.z, phases] {
            guard d >= 0 else { return (0, true) }
            let (m, o) = n.multipliedReportingOverflow(by: d)
            if o { return (0, true) }
            n = m
        }
        return (n, false)
    }
}
