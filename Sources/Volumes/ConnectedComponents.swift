/// Which voxels touch: 6 (faces) or 26 (faces, edges and corners) neighbours in 3-D.
public enum Connectivity: Int, Sendable, CaseIterable {
    case faces = 6
    case full = 26

    /// Neighbour offsets (di, dj, dk), the centre excluded.
    var offsets: [SIMD3<Int>] {
        var out: [SIMD3<Int>] = []
        for dk in -1...1 {
            for dj in -1...1 {
                for di in -1...1 where !(di == 0 && dj == 0 && dk == 0) {
                    let steps = abs(di) + abs(dj) + abs(dk)
                    if self == .full || steps == 1 { out.append(SIMD3(di, dj, dk)) }
                }
            }
        }
        return out
    }
}

/// The connected components of a binary mask (voxels > 0.5), labelled 1, 2, … in the order in
/// which a scan (i fastest, then j, then k) first meets them; 0 is background.
public struct ConnectedComponents: Sendable {
    /// Grid of the mask the labels belong to.
    public let size: SIMD3<Int>
    public let geometry: Geometry
    /// One label per voxel of phase 0.
    public let labels: [Int32]
    /// Voxel count of component `label` at index `label − 1`.
    public let sizes: [Int]

    public var count: Int { sizes.count }

    /// Labels the mask by breadth-first flood fill.
    public init(mask: Volume, connectivity: Connectivity = .full) {
        let nx = mask.size.x, ny = mask.size.y, nz = mask.size.z
        let n = nx * ny * nz
        var labels = [Int32](repeating: 0, count: n)
        var sizes: [Int] = []
        let offsets = connectivity.offsets
        var queue = [Int]()
        queue.reserveCapacity(1024)
        mask.samples.withUnsafeBufferPointer { s in
            labels.withUnsafeMutableBufferPointer { lab in
                for seed in 0..<n where s[seed] > 0.5 && lab[seed] == 0 {
                    let label = Int32(sizes.count + 1)
                    lab[seed] = label
                    queue.removeAll(keepingCapacity: true)
                    queue.append(seed)
                    var head = 0
                    while head < queue.count {
                        let v = queue[head]
                        head += 1
                        let i = v % nx, j = (v / nx) % ny, k = v / (nx * ny)
                        for o in offsets {
                            let a = i + o.x, b = j + o.y, c = k + o.z
                            guard a >= 0, b >= 0, c >= 0, a < nx, b < ny, c < nz else { continue }
                            let w = a + nx * (b + ny * c)
                            if s[w] > 0.5 && lab[w] == 0 {
                                lab[w] = label
                                queue.append(w)
                            }
                        }
                    }
                    sizes.append(queue.count)
                }
            }
        }
        self.size = mask.size
        self.geometry = mask.geometry
        self.labels = labels
        self.sizes = sizes
    }

    /// The label of the largest component (the first such in scan order), nil when empty.
    public var largest: Int32? {
        guard let best = sizes.indices.max(by: { sizes[$0] < sizes[$1] || (sizes[$0] == sizes[$1] && $0 > $1) }) else { return nil }
        return Int32(best + 1)
    }

    /// A 1/0 mask of the components whose labels are in `keep`.
    public func mask(of keep: Set<Int32>) -> Volume {
        // The grid comes from a validated volume.
        try! Volume(size: size, geometry: geometry, samples: labels.map { keep.contains($0) ? 1 : 0 })
    }

    /// A 1/0 mask of one component.
    public func mask(of label: Int32) -> Volume { mask(of: [label]) }

    /// A 1/0 mask of the components holding at least `minimumVoxels` voxels.
    public func mask(minimumVoxels: Int) -> Volume {
        mask(of: Set(sizes.indices.filter { sizes[$0] >= minimumVoxels }.map { Int32($0 + 1) }))
    }
}

extension Volume {
    /// The connected components of this mask (phase 0, voxels > 0.5).
    public func connectedComponents(connectivity: Connectivity = .full) -> ConnectedComponents {
        ConnectedComponents(mask: self, connectivity: connectivity)
    }

    /// The largest connected component as a 1/0 mask (empty mask stays empty).
    public func largestComponent(connectivity: Connectivity = .full) -> Volume {
        let cc = connectedComponents(connectivity: connectivity)
        guard let l = cc.largest else { return maskVolume([Float](repeating: 0, count: voxelsPerPhase)) }
        return cc.mask(of: l)
    }
}
