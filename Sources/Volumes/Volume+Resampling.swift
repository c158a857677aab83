/// How to read an image between voxel centres.
public enum Interpolation: String, Sendable, Codable {
    /// Trilinear: for images.
    case linear
    /// The nearest voxel: for masks and labels (values are never mixed).
    case nearest
}

/// Resampling onto another grid through an optional rigid transform.
///
/// Convention (ITK's, stated once): `transform` maps a point of the **target** grid's world to
/// the point of **this** volume's world that lands there: output(x) = self(T(x)). A registration
/// of a moving image to a fixed one returns exactly this T, so `moving.resampled(onto: fixed…,
/// transform: result.transform)` puts the moving image on the fixed grid. World points are LPS mm.
///
/// A target point whose source index lies more than half a voxel outside the source grid gets
/// `outside`; within that half voxel the border voxel repeats (so resampling onto the same grid
/// is exact, edge planes included).
extension Volume {
    /// Every phase of this volume on the target grid.
    public func resampled(size: SIMD3<Int>, geometry target: Geometry, transform: RigidTransform? = nil,
                          interpolation: Interpolation = .linear, outside: Float = 0,
                          threads: Int = 0) throws -> Volume {
        var out = try Volume(size: size, phases: phases, geometry: target, repeating: 0)
        // index in source = W2I_s ∘ T ∘ I2W_t (index in target)
        let map = Affine3.worldToIndex(geometry)
            .after(transform.map(Affine3.rigid) ?? .identity)
            .after(target.indexToWorldMap)
        let ns = self.size, nt = size
        let nIn = voxelsPerPhase, nOut = nt.x * nt.y * nt.z
        let lo = SIMD3<Double>(repeating: -0.5)
        let hi = SIMD3(Double(ns.x), Double(ns.y), Double(ns.z)) - 0.5
        samples.withUnsafeBufferPointer { s in
            out.samples.withUnsafeMutableBufferPointer { o in
                let src = SharedBuffer(UnsafeMutablePointer(mutating: s.baseAddress!)), dst = SharedBuffer(o.baseAddress!)
                for t in 0..<phases {
                    ConcurrentChunks.run(count: nt.z * nt.y, chunks: ConcurrentChunks.resolve(threads) * 8, threads: threads) { _, rows in
                        let input = src.base + t * nIn, output = dst.base + t * nOut
                        for row in rows {
                            let j = row % nt.y, k = row / nt.y
                            let start = map.apply(SIMD3(0, Double(j), Double(k)))
                            let step = map.column(0)
                            let line = output + nt.x * row
                            for i in 0..<nt.x {
                                var p = start + step * Double(i)
                                // Snap indices within 10⁻⁶ voxel of a voxel centre onto it, so
                                // resampling onto the same grid is exact despite rounding.
                                let r = p.rounded(.toNearestOrEven)
                                if Swift.abs(p.x - r.x) < 1e-6 { p.x = r.x }
                                if Swift.abs(p.y - r.y) < 1e-6 { p.y = r.y }
                                if Swift.abs(p.z - r.z) < 1e-6 { p.z = r.z }
                                if any(p .< lo) || any(p .> hi) { line[i] = outside; continue }
                                switch interpolation {
                                case .nearest:
                                    let a = min(ns.x - 1, max(0, Int((p.x).rounded())))
                                    let b = min(ns.y - 1, max(0, Int((p.y).rounded())))
                                    let c = min(ns.z - 1, max(0, Int((p.z).rounded())))
                                    line[i] = input[a + ns.x * (b + ns.y * c)]
                                case .linear:
                                    line[i] = Volume.trilinear(input, ns, p)
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Every phase of this volume on another volume's grid.
    public func resampled(onto reference: Volume, transform: RigidTransform? = nil,
                          interpolation: Interpolation = .linear, outside: Float = 0) throws -> Volume {
        try resampled(size: reference.size, geometry: reference.geometry, transform: transform,
                      interpolation: interpolation, outside: outside)
    }

    /// Trilinear value at a continuous index already known to lie within half a voxel of the
    /// grid; neighbours beyond the border repeat it.
    @inline(__always)
    static func trilinear(_ s: UnsafeMutablePointer<Float>, _ n: SIMD3<Int>, _ p: SIMD3<Double>) -> Float {
        let fx = p.x.rounded(.down), fy = p.y.rounded(.down), fz = p.z.rounded(.down)
        let ux = Float(p.x - fx), uy = Float(p.y - fy), uz = Float(p.z - fz)
        let x0 = Int(fx), y0 = Int(fy), z0 = Int(fz)
        let xa = min(n.x - 1, max(0, x0)), xb = min(n.x - 1, max(0, x0 + 1))
        let ya = min(n.y - 1, max(0, y0)), yb = min(n.y - 1, max(0, y0 + 1))
        let za = min(n.z - 1, max(0, z0)), zb = min(n.z - 1, max(0, z0 + 1))
        let sx = n.x, sxy = n.x * n.y
        @inline(__always) func v(_ a: Int, _ b: Int, _ c: Int) -> Float { s[a + sx * b + sxy * c] }
        let c00 = v(xa, ya, za) + ux * (v(xb, ya, za) - v(xa, ya, za))
        let c10 = v(xa, yb, za) + ux * (v(xb, yb, za) - v(xa, yb, za))
        let c01 = v(xa, ya, zb) + ux * (v(xb, ya, zb) - v(xa, ya, zb))
        let c11 = v(xa, yb, zb) + ux * (v(xb, yb, zb) - v(xa, yb, zb))
        let c0 = c00 + uy * (c10 - c00), c1 = c01 + uy * (c11 - c01)
        return c0 + uz * (c1 - c0)
    }
}
