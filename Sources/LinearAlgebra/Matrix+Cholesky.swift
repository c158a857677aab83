internal import CBLAS

extension Matrix {
    /// The lower Cholesky factor L (A = L·Lᵀ) of a symmetric positive-definite matrix, by
    /// LAPACK `dpotrf`. Only the lower triangle of `self` is read. A matrix that is not
    /// positive definite (a singular design, collinear columns) throws `singular`.
    public func cholesky() throws -> Matrix {
        guard rows == columns else {
            throw LinearAlgebraError.shapeMismatch(operation: "cholesky", left: [rows, columns], right: [])
        }
        let n = Int32(rows)
        if n == 0 { return self }
        var a = elements
        let info = a.withUnsafeMutableBufferPointer { ap in
            LAPACKE_dpotrf(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), n, ap.baseAddress, n)
        }
        if info > 0 { throw LinearAlgebraError.singular(operation: "cholesky", pivot: Int(info)) }
        if info < 0 { throw LinearAlgebraError.lapackFailure(routine: "dpotrf", info: info) }
        var l = Matrix(rows: rows, columns: columns, elements: a)
        for r in 0..<rows { for c in (r + 1)..<max(columns, r + 1) { l[r, c] = 0 } }
        return l
    }

    /// The Cholesky–Banachiewicz loop: the oracle for `cholesky()`.
    public func choleskyReference() throws -> Matrix {
        guard rows == columns else {
            throw LinearAlgebraError.shapeMismatch(operation: "cholesky", left: [rows, columns], right: [])
        }
        var l = Matrix(rows: rows, columns: columns)
        for i in 0..<rows {
            for j in 0...i where j <= i {
                var s = self[i, j]
                for k in 0..<j { s -= l[i, k] * l[j, k] }
                if i == j {
                    guard s > 0 else { throw LinearAlgebraError.singular(operation: "cholesky", pivot: i + 1) }
                    l[i, i] = s.squareRoot()
                } else {
                    l[i, j] = s / l[j, j]
                }
            }
        }
        return l
    }

    /// The inverse of a symmetric positive-definite matrix from its Cholesky factor (LAPACK
    /// `dpotrf` + `dpotri`), symmetrised. Used for covariance matrices (XᵀWX)⁻¹.
    public func symmetricPositiveDefiniteInverse() throws -> Matrix {
        guard rows == columns else {
            throw LinearAlgebraError.shapeMismatch(operation: "spd inverse", left: [rows, columns], right: [])
        }
        let n = Int32(rows)
        if n == 0 { return self }
        var a = elements
        let uplo = Int8(UInt8(ascii: "L"))
        let info = a.withUnsafeMutableBufferPointer { LAPACKE_dpotrf(LAPACK_ROW_MAJOR, uplo, n, $0.baseAddress, n) }
        if info > 0 { throw LinearAlgebraError.singular(operation: "spd inverse", pivot: Int(info)) }
        if info < 0 { throw LinearAlgebraError.lapackFailure(routine: "dpotrf", info: info) }
        let info2 = a.withUnsafeMutableBufferPointer { LAPACKE_dpotri(LAPACK_ROW_MAJOR, uplo, n, $0.baseAddress, n) }
        if info2 != 0 { throw LinearAlgebraError.lapackFailure(routine: "dpotri", info: info2) }
        var out = Matrix(rows: rows, columns: columns, elements: a)
        for r in 0..<rows { for c in (r + 1)..<max(columns, r + 1) { out[r, c] = out[c, r] } }
        return out
    }

    /// Solves A·x = b for symmetric positive-definite A (LAPACK `dposv`).
    public func choleskySolve(_ b: [Double]) throws -> [Double] {
        guard rows == columns, b.count == rows else {
            throw LinearAlgebraError.shapeMismatch(operation: "cholesky solve", left: [rows, columns], right: [b.count])
        }
        let n = Int32(rows)
        if n == 0 { return [] }
        var a = elements, x = b
        let info = a.withUnsafeMutableBufferPointer { ap in
            x.withUnsafeMutableBufferPointer { xp in
                LAPACKE_dposv(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), n, 1, ap.baseAddress, n, xp.baseAddress, 1)
            }
        }
        if info > 0 { throw LinearAlgebraError.singular(operation: "cholesky solve", pivot: Int(info)) }
        if info < 0 { throw LinearAlgebraError.lapackFailure(routine: "dposv", info: info) }
        return x
    }

    /// Forward and back substitution with `choleskyReference()`: the oracle for `choleskySolve`.
    public func choleskySolveReference(_ b: [Double]) throws -> [Double] {
        guard rows == columns, b.count == rows else {
            throw LinearAlgebraError.shapeMismatch(operation: "cholesky solve", left: [rows, columns], right: [b.count])
        }
        let l = try choleskyReference()
        let n = rows
        var z = b
        for i in 0..<n {
            for k in 0..<i { z[i] -= l[i, k] * z[k] }
            z[i] /= l[i, i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            for k in (i + 1)..<max(n, i + 1) { z[i] -= l[k, i] * z[k] }
            z[i] /= l[i, i]
        }
        return z
    }

    /// Aᵀ·diag(w)·A, the weighted Gram matrix of IRLS, through BLAS `dsyrk` on √w-scaled rows.
    /// Weights must be non-negative.
    public func weightedGram(_ w: [Double]) throws -> Matrix {
        guard w.count == rows else {
            throw LinearAlgebraError.shapeMismatch(operation: "weighted gram", left: [rows, columns], right: [w.count])
        }
        var scaled = elements
        for r in 0..<rows {
            let s = w[r].squareRoot()
            for c in 0..<columns { scaled[r * columns + c] *= s }
        }
        var out = Matrix(rows: columns, columns: columns)
        if rows == 0 || columns == 0 { return out }
        scaled.withUnsafeBufferPointer { a in
            out.elements.withUnsafeMutableBufferPointer { c in
                cblas_dsyrk(CblasRowMajor, CblasLower, CblasTrans, Int32(columns), Int32(rows),
                            1.0, a.baseAddress, Int32(columns), 0.0, c.baseAddress, Int32(columns))
            }
        }
        for r in 0..<columns { for c in (r + 1)..<max(columns, r + 1) { out[r, c] = out[c, r] } }
        return out
    }

    /// The plain triple loop Σ_i w_i a_ij a_ik: the oracle for `weightedGram`.
    public func weightedGramReference(_ w: [Double]) throws -> Matrix {
        guard w.count == rows else {
            throw LinearAlgebraError.shapeMismatch(operation: "weighted gram", left: [rows, columns], right: [w.count])
        }
        var out = Matrix(rows: columns, columns: columns)
        for j in 0..<columns {
            for k in 0..<columns {
                var s = 0.0
                for i in 0..<rows { s += w[i] * self[i, j] * self[i, k] }
                out[j, k] = s
            }
        }
        return out
    }
}
