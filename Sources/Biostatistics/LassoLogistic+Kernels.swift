/// The loops of the LASSO coordinate descent, fused so each feature column is read from memory
/// once per visit, in plain Swift with SIMD accumulators (no BLAS: the folds run on concurrent
/// threads and OpenBLAS would start threads of its own inside each). Each kernel has a plain
/// scalar twin (`…Reference`) that the tests compare it with.
///
/// Why fused: on the n > p shape the working set is a few hundred columns of ~1,000 rows, a
/// few megabytes that stream from the last-level cache on every pass; glmnet's naive update
/// reads the column for the gradient x_jᵀr and again (or a stored v∘x_j) for the residual update
/// r ← r − Δβ_j·v∘x_j. Here v and r (n values) stay in the first-level cache and x_j is read
/// once from memory per visit: the update re-reads it from the first-level cache.
enum LassoKernels {
    /// Σ a_i·b_i over n elements (four independent 4-lane accumulators).
    @inline(__always)
    static func dot(_ n: Int, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>) -> Double {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var s0 = SIMD4<Double>(), s1 = SIMD4<Double>(), s2 = SIMD4<Double>(), s3 = SIMD4<Double>()
        var i = 0
        while i + 16 <= n {
            let o = i &* 8
            s0 += ra.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self) * rb.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self)
            s1 += ra.loadUnaligned(fromByteOffset: o + 32, as: SIMD4<Double>.self) * rb.loadUnaligned(fromByteOffset: o + 32, as: SIMD4<Double>.self)
            s2 += ra.loadUnaligned(fromByteOffset: o + 64, as: SIMD4<Double>.self) * rb.loadUnaligned(fromByteOffset: o + 64, as: SIMD4<Double>.self)
            s3 += ra.loadUnaligned(fromByteOffset: o + 96, as: SIMD4<Double>.self) * rb.loadUnaligned(fromByteOffset: o + 96, as: SIMD4<Double>.self)
            i &+= 16
        }
        while i + 4 <= n {
            let o = i &* 8
            s0 += ra.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self) * rb.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self)
            i &+= 4
        }
        var s = ((s0 + s1) + (s2 + s3)).sum()
        while i < n { s += a[i] * b[i]; i &+= 1 }
        return s
    }

    /// The plain loop: the oracle for `dot`.
    static func dotReference(_ n: Int, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>) -> Double {
        var s = 0.0
        for i in 0..<n { s += a[i] * b[i] }
        return s
    }

    /// Σ r_i·x_i with x in single precision, summed in double (the KKT screening of
    /// `LassoPathSolver`: half the bytes of the double-precision column).
    @inline(__always)
    static func dot(_ n: Int, _ r: UnsafePointer<Double>, _ x: UnsafePointer<Float>) -> Double {
        let rr = UnsafeRawPointer(r), rx = UnsafeRawPointer(x)
        var s0 = SIMD4<Double>(), s1 = SIMD4<Double>(), s2 = SIMD4<Double>(), s3 = SIMD4<Double>()
        var i = 0
        while i + 16 <= n {
            let a = rx.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
            let b = rx.loadUnaligned(fromByteOffset: i &* 4 + 32, as: SIMD8<Float>.self)
            let o = i &* 8
            s0 += rr.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self) * SIMD4<Double>(a.lowHalf)
            s1 += rr.loadUnaligned(fromByteOffset: o + 32, as: SIMD4<Double>.self) * SIMD4<Double>(a.highHalf)
            s2 += rr.loadUnaligned(fromByteOffset: o + 64, as: SIMD4<Double>.self) * SIMD4<Double>(b.lowHalf)
            s3 += rr.loadUnaligned(fromByteOffset: o + 96, as: SIMD4<Double>.self) * SIMD4<Double>(b.highHalf)
            i &+= 16
        }
        var s = ((s0 + s1) + (s2 + s3)).sum()
        while i < n { s += r[i] * Double(x[i]); i &+= 1 }
        return s
    }

    /// The plain loop: the oracle for the single-precision `dot`.
    static func dotReference(_ n: Int, _ r: UnsafePointer<Double>, _ x: UnsafePointer<Float>) -> Double {
        var s = 0.0
        for i in 0..<n { s += r[i] * Double(x[i]) }
        return s
    }

    /// (Σ r_i·x_i, Σ v_i·x_i²) in one read of x: the gradient and the weighted curvature of a
    /// coordinate, computed together on its first visit after the weights change.
    @inline(__always)
    static func dotAndWeightedSquares(_ n: Int, _ r: UnsafePointer<Double>, _ v: UnsafePointer<Double>,
                                      _ x: UnsafePointer<Double>) -> (g: Double, xv: Double) {
        let rr = UnsafeRawPointer(r), rv = UnsafeRawPointer(v), rx = UnsafeRawPointer(x)
        var g0 = SIMD4<Double>(), g1 = SIMD4<Double>(), w0 = SIMD4<Double>(), w1 = SIMD4<Double>()
        var i = 0
        while i + 8 <= n {
            let o = i &* 8
            let x0 = rx.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self)
            let x1 = rx.loadUnaligned(fromByteOffset: o + 32, as: SIMD4<Double>.self)
            g0 += rr.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self) * x0
            g1 += rr.loadUnaligned(fromByteOffset: o + 32, as: SIMD4<Double>.self) * x1
            w0 += rv.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self) * x0 * x0
            w1 += rv.loadUnaligned(fromByteOffset: o + 32, as: SIMD4<Double>.self) * x1 * x1
            i &+= 8
        }
        var g = (g0 + g1).sum(), w = (w0 + w1).sum()
        while i < n { g += r[i] * x[i]; w += v[i] * x[i] * x[i]; i &+= 1 }
        return (g, w)
    }

    /// The plain loops: the oracle for `dotAndWeightedSquares`.
    static func dotAndWeightedSquaresReference(_ n: Int, _ r: UnsafePointer<Double>, _ v: UnsafePointer<Double>,
                                               _ x: UnsafePointer<Double>) -> (g: Double, xv: Double) {
        var g = 0.0, w = 0.0
        for i in 0..<n { g += r[i] * x[i]; w += v[i] * x[i] * x[i] }
        return (g, w)
    }

    /// r ← r − d·(v∘x): the weighted residual after coordinate j moves by d (Friedman, Hastie
    /// & Tibshirani 2010, §3: the working response changes by −d·x_j, the weighted residual
    /// r = v∘(z − η) by −d·v∘x_j).
    @inline(__always)
    static func weightedUpdate(_ n: Int, _ d: Double, _ v: UnsafePointer<Double>, _ x: UnsafePointer<Double>,
                               _ r: UnsafeMutablePointer<Double>) {
        let rv = UnsafeRawPointer(v), rx = UnsafeRawPointer(x), rr = UnsafeMutableRawPointer(r)
        let dd = SIMD4<Double>(repeating: d)
        var i = 0
        while i + 8 <= n {
            let o = i &* 8
            let a = rr.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self)
                - dd * (rv.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self) * rx.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self))
            let b = rr.loadUnaligned(fromByteOffset: o + 32, as: SIMD4<Double>.self)
                - dd * (rv.loadUnaligned(fromByteOffset: o + 32, as: SIMD4<Double>.self) * rx.loadUnaligned(fromByteOffset: o + 32, as: SIMD4<Double>.self))
            rr.storeBytes(of: a, toByteOffset: o, as: SIMD4<Double>.self)
            rr.storeBytes(of: b, toByteOffset: o + 32, as: SIMD4<Double>.self)
            i &+= 8
        }
        while i < n { r[i] -= d * (v[i] * x[i]); i &+= 1 }
    }

    /// The plain loop: the oracle for `weightedUpdate`.
    static func weightedUpdateReference(_ n: Int, _ d: Double, _ v: UnsafePointer<Double>, _ x: UnsafePointer<Double>,
                                        _ r: UnsafeMutablePointer<Double>) {
        for i in 0..<n { r[i] -= d * (v[i] * x[i]) }
    }

    /// y ← y + a·x (the linear predictor rebuilt from the active columns at each Newton step).
    @inline(__always)
    static func axpy(_ n: Int, _ a: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>) {
        let rx = UnsafeRawPointer(x), ry = UnsafeMutableRawPointer(y)
        let aa = SIMD4<Double>(repeating: a)
        var i = 0
        while i + 4 <= n {
            let o = i &* 8
            let s = ry.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self) + aa * rx.loadUnaligned(fromByteOffset: o, as: SIMD4<Double>.self)
            ry.storeBytes(of: s, toByteOffset: o, as: SIMD4<Double>.self)
            i &+= 4
        }
        while i < n { y[i] += a * x[i]; i &+= 1 }
    }

    /// The plain loop: the oracle for `axpy`.
    static func axpyReference(_ n: Int, _ a: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>) {
        for i in 0..<n { y[i] += a * x[i] }
    }
}
