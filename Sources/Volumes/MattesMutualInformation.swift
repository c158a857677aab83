import Foundation

/// Mattes mutual information between a fixed image, seen through a fixed set of samples, and a
/// moving image under a rigid transform, with its analytic gradient with respect to the six
/// rigid parameters (θx, θy, θz in radians; tx, ty, tz in mm).
///
/// Mattes, Haynor, Vesselle, Lewellen & Eubank, "PET-CT image registration in the chest using
/// free-form deformations", IEEE TMI 22 (2003) 120–128, section II.B:
/// - intensities are binned with Parzen windows: a zero-order B-spline (box) for the fixed image,
///   a cubic B-spline β³ for the moving one, over `bins` bins of width
///   Δ = (max − min)/(bins − 4) with two bins of padding at each end (ITK's layout);
/// - joint p(ι, κ) = α Σᵢ β⁰(ι − ξᵢ) β³(κ − ηᵢ), α = 1/N over the N samples that map inside the
///   moving image; ξᵢ = (f(xᵢ) − f_min)/Δ_f + 2, ηᵢ = (m(T(xᵢ)) − m_min)/Δ_m + 2;
/// - S = −Σ p(ι, κ) log[p(ι, κ) / (p_F(ι) p_M(κ))] (ITK's sign: lower is better);
/// - ∂S/∂μ = −Σ ∂p(ι, κ)/∂μ · log[p(ι, κ)/p_M(κ)] (eq. 12; the p_F terms cancel), with
///   ∂p/∂μ = −α Σᵢ β⁰ β³′(κ − ηᵢ) ∂ηᵢ/∂μ, so ∂S/∂μ = α Σᵢ wᵢ ∂ηᵢ/∂μ where
///   wᵢ = Σ_κ log[p(ι_i, κ)/p_M(κ)] β³′(κ − ηᵢ).
/// The moving image is read by trilinear interpolation and ∇m is the exact derivative of that
/// interpolant (ITK instead interpolates a central-difference gradient image), so the gradient
/// is the true gradient of the value computed. With T(x) = R(θ)(x − c) + c + t and q = x − c,
/// ∂η/∂t = ∇ₓη and ∂η/∂θₐ = ∇ₓη · (∂R/∂θₐ) q; the sums Σ wᵢ∇ηᵢ and Σ wᵢ∇ηᵢ qᵢᵀ are gathered
/// once per evaluation, so the per-sample cost does not grow with the parameter count.
final class MattesMutualInformation {
    /// The fixed side of a pyramid level: sample positions relative to the centre of rotation
    /// (world mm, float32, structure of arrays) and each sample's fixed bin, drawn once.
    struct FixedSamples: Sendable {
        var qx: [Float] = [], qy: [Float] = [], qz: [Float] = []
        var bins: [Int32] = []
        var count: Int { bins.count }

        /// Reorders the samples by `tile` (stable: scan order within a tile), so that samples
        /// read near one another in the moving image are evaluated one after another.
        mutating func sortByTile(_ tile: [Int32]) {
            precondition(tile.count == count)
            var counts = [Int](repeating: 0, count: Int(tile.max() ?? 0) + 2)
            for t in tile { counts[Int(t) + 1] += 1 }
            for c in 1..<counts.count { counts[c] += counts[c - 1] }
            var order = [Int](repeating: 0, count: count)
            for (i, t) in tile.enumerated() { order[counts[Int(t)]] = i; counts[Int(t)] += 1 }
            qx = order.map { qx[$0] }; qy = order.map { qy[$0] }; qz = order.map { qz[$0] }
            bins = order.map { bins[$0] }
        }
    }

    /// One evaluation: S, ∂S/∂μ and how many samples mapped inside the moving image.
    struct Evaluation {
        var value: Double
        var gradient: [Double]
        var validSamples: Int
    }

    let bins: Int
    let fixed: FixedSamples
    let moving: Volume
    let movingToIndex: Affine3
    let movingMinimum: Float
    let movingBinInverse: Float
    let centre: SIMD3<Double>
    let threads: Int
    private var eta: [Float], gx: [Float], gy: [Float], gz: [Float]

    /// `moving` is one pyramid level of the moving image (3-D); `centre` the rotation centre.
    init(bins: Int, fixed: FixedSamples, moving: Volume, centre: SIMD3<Double>, threads: Int) {
        precondition(bins >= 5 && moving.phases == 1)
        self.bins = bins
        self.fixed = fixed
        self.moving = moving
        self.movingToIndex = Affine3.worldToIndex(moving.geometry)
        var lo = Float.infinity, hi = -Float.infinity
        for v in moving.samples { lo = min(lo, v); hi = max(hi, v) }
        movingMinimum = lo
        // A constant moving image has no information: one bin width of 1 keeps the arithmetic finite.
        movingBinInverse = hi > lo ? Float(bins - 4) / (hi - lo) : 1
        self.centre = centre
        self.threads = threads
        let n = fixed.count
        eta = [Float](repeating: -1, count: n)
        gx = eta; gy = eta; gz = eta
    }

    /// The fixed bin of an intensity (box window: one bin), given the image's range.
    static func fixedBin(_ v: Float, minimum: Float, binInverse: Float, bins: Int) -> Int32 {
        let xi = (v - minimum) * binInverse + 2
        return Int32(min(bins - 3, max(2, Int(xi))))
    }

    /// The rotation R = Rz Ry Rx and its three partial derivatives, as rows.
    static func rotation(_ theta: SIMD3<Double>) -> (r: [SIMD3<Double>], d: [[SIMD3<Double>]]) {
        let (cx, sx, cy, sy, cz, sz) = (cos(theta.x), sin(theta.x), cos(theta.y), sin(theta.y), cos(theta.z), sin(theta.z))
        let rx: [SIMD3<Double>] = [SIMD3(1, 0, 0), SIMD3(0, cx, -sx), SIMD3(0, sx, cx)]
        let dx: [SIMD3<Double>] = [SIMD3(0, 0, 0), SIMD3(0, -sx, -cx), SIMD3(0, cx, -sx)]
        let ry: [SIMD3<Double>] = [SIMD3(cy, 0, sy), SIMD3(0, 1, 0), SIMD3(-sy, 0, cy)]
        let dy: [SIMD3<Double>] = [SIMD3(-sy, 0, cy), SIMD3(0, 0, 0), SIMD3(-cy, 0, -sy)]
        let rz: [SIMD3<Double>] = [SIMD3(cz, -sz, 0), SIMD3(sz, cz, 0), SIMD3(0, 0, 1)]
        let dz: [SIMD3<Double>] = [SIMD3(-sz, -cz, 0), SIMD3(cz, -sz, 0), SIMD3(0, 0, 0)]
        return (mul(rz, mul(ry, rx)), [mul(rz, mul(ry, dx)), mul(rz, mul(dy, rx)), mul(dz, mul(ry, rx))])
    }

    /// Row-major 3 × 3 product.
    static func mul(_ a: [SIMD3<Double>], _ b: [SIMD3<Double>]) -> [SIMD3<Double>] {
        a.map { row in b[0] * row.x + b[1] * row.y + b[2] * row.z }
    }

    /// S and ∂S/∂μ at μ = (θx, θy, θz, tx, ty, tz).
    func evaluate(_ mu: [Double]) -> Evaluation {
        let theta = SIMD3(mu[0], mu[1], mu[2]), t = SIMD3(mu[3], mu[4], mu[5])
        let (r, d) = MattesMutualInformation.rotation(theta)
        // index = W (R q + c + t) + w0 = A q + b
        let w = [movingToIndex.row0, movingToIndex.row1, movingToIndex.row2]
        let a = MattesMutualInformation.mul(w, r)
        let b = movingToIndex.apply(centre + t)
        let bins = self.bins, n = fixed.count
        let chunks = max(1, threads) * 4
        let size = moving.size
        var partial = [Double](repeating: 0, count: chunks * bins * bins)
        var validPerChunk = [Int](repeating: 0, count: chunks)
        let mMin = movingMinimum, mInv = movingBinInverse

        // Pass 1: interpolate, bin, keep η and ∇η for pass 2.
        moving.samples.withUnsafeBufferPointer { img in
            fixed.qx.withUnsafeBufferPointer { qx in fixed.qy.withUnsafeBufferPointer { qy in fixed.qz.withUnsafeBufferPointer { qz in
            fixed.bins.withUnsafeBufferPointer { fb in
            eta.withUnsafeMutableBufferPointer { eta in gx.withUnsafeMutableBufferPointer { gx in
            gy.withUnsafeMutableBufferPointer { gy in gz.withUnsafeMutableBufferPointer { gz in
            partial.withUnsafeMutableBufferPointer { hist in validPerChunk.withUnsafeMutableBufferPointer { valid in
                let ctx = PassOne(
                    img: SharedBuffer(UnsafeMutablePointer(mutating: img.baseAddress!)),
                    qx: SharedBuffer(UnsafeMutablePointer(mutating: qx.baseAddress!)),
                    qy: SharedBuffer(UnsafeMutablePointer(mutating: qy.baseAddress!)),
                    qz: SharedBuffer(UnsafeMutablePointer(mutating: qz.baseAddress!)),
                    fb: SharedBuffer(UnsafeMutablePointer(mutating: fb.baseAddress!)),
                    eta: SharedBuffer(eta.baseAddress!), gx: SharedBuffer(gx.baseAddress!),
                    gy: SharedBuffer(gy.baseAddress!), gz: SharedBuffer(gz.baseAddress!),
                    hist: SharedBuffer(hist.baseAddress!), valid: SharedBuffer(valid.baseAddress!),
                    a: a.map { SIMD3<Float>($0) }, b: SIMD3<Float>(b), size: size, bins: bins, mMin: mMin, mInv: mInv)
                ConcurrentChunks.run(count: n, chunks: chunks, threads: threads) { c, range in ctx.run(chunk: c, range) }
            } }
            } } } }
            } } } }
        }
        var joint = [Double](repeating: 0, count: bins * bins)
        for c in 0..<chunks { for k in 0..<(bins * bins) { joint[k] += partial[c * bins * bins + k] } }
        let valid = validPerChunk.reduce(0, +)
        guard valid > 0 else { return Evaluation(value: 0, gradient: [0, 0, 0, 0, 0, 0], validSamples: 0) }
        let alpha = 1 / Double(valid)
        var pM = [Double](repeating: 0, count: bins), pF = [Double](repeating: 0, count: bins)
        for i in 0..<bins { for k in 0..<bins { let p = joint[i * bins + k] * alpha; pF[i] += p; pM[k] += p } }
        var value = 0.0
        var logRatio = [Float](repeating: 0, count: bins * bins) // log p(ι, κ)/p_M(κ)
        for i in 0..<bins {
            for k in 0..<bins {
                let p = joint[i * bins + k] * alpha
                guard p > 0 else { continue }
                value -= p * log(p / (pF[i] * pM[k]))
                logRatio[i * bins + k] = Float(log(p / pM[k]))
            }
        }

        // Pass 2: wᵢ, then Σ wᵢ ∇ηᵢ and Σ wᵢ ∇ηᵢ qᵢᵀ.
        var sums = [Double](repeating: 0, count: chunks * 12)
        fixed.qx.withUnsafeBufferPointer { qx in fixed.qy.withUnsafeBufferPointer { qy in fixed.qz.withUnsafeBufferPointer { qz in
        fixed.bins.withUnsafeBufferPointer { fb in
        eta.withUnsafeBufferPointer { eta in gx.withUnsafeBufferPointer { gx in
        gy.withUnsafeBufferPointer { gy in gz.withUnsafeBufferPointer { gz in
        logRatio.withUnsafeBufferPointer { lr in sums.withUnsafeMutableBufferPointer { out in
            func shared<T>(_ p: UnsafeBufferPointer<T>) -> SharedBuffer<T> { SharedBuffer(UnsafeMutablePointer(mutating: p.baseAddress!)) }
            let ctx = PassTwo(qx: shared(qx), qy: shared(qy), qz: shared(qz), fb: shared(fb), eta: shared(eta),
                              gx: shared(gx), gy: shared(gy), gz: shared(gz), logRatio: shared(lr),
                              out: SharedBuffer(out.baseAddress!), bins: bins)
            ConcurrentChunks.run(count: n, chunks: chunks, threads: threads) { c, range in ctx.run(chunk: c, range) }
        } }
        } } } }
        } } } }
        var s = [Double](repeating: 0, count: 12)
        for c in 0..<chunks { for k in 0..<12 { s[k] += sums[c * 12 + k] } }
        // s[0..<3] = Σ w g (index space), s[3 + 3r + c] = Σ w g_r q_c.
        var gradient = [Double](repeating: 0, count: 6)
        for axis in 0..<3 {
            let wd = MattesMutualInformation.mul(w, d[axis])
            var acc = 0.0
            for row in 0..<3 { for col in 0..<3 { acc += wd[row][col] * s[3 + 3 * row + col] } }
            gradient[axis] = alpha * acc
            gradient[3 + axis] = alpha * (w[0][axis] * s[0] + w[1][axis] * s[1] + w[2][axis] * s[2])
        }
        return Evaluation(value: value, gradient: gradient, validSamples: valid)
    }
}

/// Pass 1 of an evaluation over one chunk of samples (see `MattesMutualInformation`).
private struct PassOne: Sendable {
    let img: SharedBuffer<Float>
    let qx: SharedBuffer<Float>, qy: SharedBuffer<Float>, qz: SharedBuffer<Float>
    let fb: SharedBuffer<Int32>
    let eta: SharedBuffer<Float>, gx: SharedBuffer<Float>, gy: SharedBuffer<Float>, gz: SharedBuffer<Float>
    let hist: SharedBuffer<Double>
    let valid: SharedBuffer<Int>
    let a: [SIMD3<Float>]
    let b: SIMD3<Float>
    let size: SIMD3<Int>
    let bins: Int
    let mMin: Float, mInv: Float

    func run(chunk: Int, _ range: Range<Int>) {
        let a0 = a[0], a1 = a[1], a2 = a[2]
        let nx = size.x, ny = size.y, nz = size.z
        let hx = Float(nx - 1), hy = Float(ny - 1), hz = Float(nz - 1)
        // Inside means within half a voxel of the grid (ITK's linear interpolator); in that
        // border the image is continued as constant, so the gradient across it is zero.
        let ox = Float(nx) - 0.5, oy = Float(ny) - 0.5, oz = Float(nz) - 0.5
        let mx = max(0, nx - 2), my = max(0, ny - 2), mz = max(0, nz - 2)
        let sx = nx > 1 ? 1 : 0, sy = ny > 1 ? nx : 0, sz = nz > 1 ? nx * ny : 0
        let nxy = nx * ny
        let h = hist.base + chunk * bins * bins
        let top = bins - 3
        var count = 0
        for i in range {
            let x = qx[i], y = qy[i], z = qz[i]
            let px = a0.x * x + a0.y * y + a0.z * z + b.x
            let py = a1.x * x + a1.y * y + a1.z * z + b.y
            let pz = a2.x * x + a2.y * y + a2.z * z + b.z
            guard px >= -0.5, py >= -0.5, pz >= -0.5, px <= ox, py <= oy, pz <= oz else { eta[i] = -1; continue }
            let cx = min(max(px, 0), hx), cy = min(max(py, 0), hy), cz = min(max(pz, 0), hz)
            let kx: Float = cx == px ? 1 : 0, ky: Float = cy == py ? 1 : 0, kz: Float = cz == pz ? 1 : 0
            let ix = min(Int(cx), mx), iy = min(Int(cy), my), iz = min(Int(cz), mz)
            let fx = cx - Float(ix), fy = cy - Float(iy), fz = cz - Float(iz)
            let p = img.base + (ix + nx * iy + nxy * iz)
            let v000 = p[0], v100 = p[sx], v010 = p[sy], v110 = p[sx + sy]
            let v001 = p[sz], v101 = p[sx + sz], v011 = p[sy + sz], v111 = p[sx + sy + sz]
            let d00 = v100 - v000, d10 = v110 - v010, d01 = v101 - v001, d11 = v111 - v011
            let c00 = v000 + fx * d00, c10 = v010 + fx * d10, c01 = v001 + fx * d01, c11 = v011 + fx * d11
            let e0 = c10 - c00, e1 = c11 - c01
            let c0 = c00 + fy * e0, c1 = c01 + fy * e1
            let value = c0 + fz * (c1 - c0)
            let dx0 = d00 + fy * (d10 - d00), dx1 = d01 + fy * (d11 - d01)
            let dvx = dx0 + fz * (dx1 - dx0)
            let dvy = e0 + fz * (e1 - e0)
            let dvz = c1 - c0
            let e = (value - mMin) * mInv + 2
            eta[i] = e
            gx[i] = kx * dvx * mInv; gy[i] = ky * dvy * mInv; gz[i] = kz * dvz * mInv
            let k = min(top, max(2, Int(e)))
            let t = e - Float(k)
            let t2 = t * t, t3 = t2 * t, omt = 1 - t
            let row = h + (Int(fb[i]) * bins + k - 1)
            row[0] += Double(omt * omt * omt * (1.0 / 6))
            row[1] += Double((3 * t3 - 6 * t2 + 4) * (1.0 / 6))
            row[2] += Double((-3 * t3 + 3 * t2 + 3 * t + 1) * (1.0 / 6))
            row[3] += Double(t3 * (1.0 / 6))
            count += 1
        }
        valid[chunk] = count
    }
}

/// Pass 2 of an evaluation over one chunk of samples.
private struct PassTwo: Sendable {
    let qx: SharedBuffer<Float>, qy: SharedBuffer<Float>, qz: SharedBuffer<Float>
    let fb: SharedBuffer<Int32>
    let eta: SharedBuffer<Float>, gx: SharedBuffer<Float>, gy: SharedBuffer<Float>, gz: SharedBuffer<Float>
    let logRatio: SharedBuffer<Float>
    let out: SharedBuffer<Double>
    let bins: Int

    func run(chunk: Int, _ range: Range<Int>) {
        let top = bins - 3
        var sg = SIMD3<Float>.zero
        var m0 = SIMD3<Float>.zero, m1 = SIMD3<Float>.zero, m2 = SIMD3<Float>.zero
        // Float accumulators per block of samples, folded into double every 4096 samples.
        var acc = [Double](repeating: 0, count: 12)
        var inBlock = 0
        func fold() {
            acc[0] += Double(sg.x); acc[1] += Double(sg.y); acc[2] += Double(sg.z)
            for c in 0..<3 { acc[3 + c] += Double(m0[c]); acc[6 + c] += Double(m1[c]); acc[9 + c] += Double(m2[c]) }
            sg = .zero; m0 = .zero; m1 = .zero; m2 = .zero
            inBlock = 0
        }
        for i in range {
            let e = eta[i]
            guard e >= 0 else { continue }
            let k = min(top, max(2, Int(e)))
            let t = e - Float(k)
            let t2 = t * t, omt = 1 - t
            // dβ³(κ − η)/dη for the four bins κ = k−1 … k+2 (= −β³′(κ − η)), so w = −Σ L · that.
            let row = logRatio.base + (Int(fb[i]) * bins + k - 1)
            let w = -(row[0] * (-0.5 * omt * omt) + row[1] * (1.5 * t2 - 2 * t)
                      + row[2] * (-1.5 * t2 + t + 0.5) + row[3] * (0.5 * t2))
            let g = SIMD3(gx[i], gy[i], gz[i]) * w
            let q = SIMD3(qx[i], qy[i], qz[i])
            sg += g
            m0 += g.x * q; m1 += g.y * q; m2 += g.z * q
            inBlock += 1
            if inBlock == 4096 { fold() }
        }
        fold()
        for k in 0..<12 { out[chunk * 12 + k] = acc[k] }
    }
}
