internal import CBLAS

extension Matrix {
    /// The inverse of a square matrix by LU factorisation (LAPACK `dgetrf` + `dgetri`).
    public func inverted() throws -> Matrix {
        guard rows == columns else {
            throw LinearAlgebraError.shapeMismatch(operation: "inverse", left: [rows, columns], right: [])
        }
        let n = Int32(rows)
        if n == 0 { return self }
        var a = elements
        var pivots = [Int32](repeating: 0, count: rows)
        let info = a.withUnsafeMutableBufferPointer { ap in
            pivots.withUnsafeMutableBufferPointer { pp in
                LAPACKE_dgetrf(LAPACK_ROW_MAJOR, n, n, ap.baseAddress, n, pp.baseAddress)
            }
        }
        if info > 0 { throw LinearAlgebraError.singular(operation: "inverse", pivot: Int(info)) }
        if info < 0 { throw LinearAlgebraError.lapackFailure(routine: "dgetrf", info: info) }
        let info2 = a.withUnsafeMutableBufferPointer { ap in
            pivots.withUnsafeMutableBufferPointer { pp in
                LAPACKE_dgetri(LAPACK_ROW_MAJOR, n, ap.baseAddress, n, pp.baseAddress)
            }
        }
        if info2 != 0 { throw LinearAlgebraError.lapackFailure(routine: "dgetri", info: info2) }
        return Matrix(rows: rows, columns: columns, elements: a)
    }

    /// Gauss–Jordan elimination with partial pivoting: the oracle for `inverted()`.
    public func invertedReference() throws -> Matrix {
        guard rows == columns else {
            throw LinearAlgebraError.shapeMismatch(operation: "inverse", left: [rows, columns], right: [])
        }
        let n = rows
        var a = self
        var inv = Matrix.identity(n)
        for col in 0..<n {
            var pivot = col
            for r in (col + 1)..<max(n, col + 1) where abs(a[r, col]) > abs(a[pivot, col]) { pivot = r }
            guard a[pivot, col] != 0 else { throw LinearAlgebraError.singular(operation: "inverse", pivot: col + 1) }
            if pivot != col {
                for c in 0..<n {
                    a.elements.swapAt(col * n + c, pivot * n + c)
                    inv.elements.swapAt(col * n + c, pivot * n + c)
                }
            }
            let d = a[col, col]
            for c in 0..<n { a[col, c] /= d; inv[col, c] /= d }
            for r in 0..<n where r != col {
                let f = a[r, col]
                if f == 0 { continue }
                for c in 0..<n { a[r, c] -= f * a[col, c]; inv[r, c] -= f * inv[col, c] }
            }
        }
        return inv
    }
}
