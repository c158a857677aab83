internal import CBLAS

extension Matrix {
    /// `self × other` through BLAS `dgemm`.
    public func multiplied(by other: Matrix) throws -> Matrix {
        guard columns == other.rows else {
            throw LinearAlgebraError.shapeMismatch(
                operation: "multiply", left: [rows, columns], right: [other.rows, other.columns])
        }
        var out = Matrix(rows: rows, columns: other.columns)
        if rows == 0 || other.columns == 0 { return out }
        if columns == 0 { return out }
        elements.withUnsafeBufferPointer { a in
            other.elements.withUnsafeBufferPointer { b in
                out.elements.withUnsafeMutableBufferPointer { c in
                    cblas_dgemm(
                        CblasRowMajor, CblasNoTrans, CblasNoTrans,
                        Int32(rows), Int32(other.columns), Int32(columns),
                        1.0, a.baseAddress, Int32(columns),
                        b.baseAddress, Int32(other.columns),
                        0.0, c.baseAddress, Int32(other.columns))
                }
            }
        }
        return out
    }

    /// The plain triple loop: the oracle the BLAS path is tested against.
    public func multipliedReference(by other: Matrix) throws -> Matrix {
        guard columns == other.rows else {
            throw LinearAlgebraError.shapeMismatch(
                operation: "multiply", left: [rows, columns], right: [other.rows, other.columns])
        }
        var out = Matrix(rows: rows, columns: other.columns)
        for i in 0..<rows {
            for j in 0..<other.columns {
                var s = 0.0
                for k in 0..<columns { s += self[i, k] * other[k, j] }
                out[i, j] = s
            }
        }
        return out
    }

    /// `self × v` for a vector `v` through BLAS `dgemv`.
    public func multiplied(by v: [Double]) throws -> [Double] {
        guard columns == v.count else {
            throw LinearAlgebraError.shapeMismatch(
                operation: "matrix-vector", left: [rows, columns], right: [v.count])
        }
        var out = [Double](repeating: 0, count: rows)
        if rows == 0 || columns == 0 { return out }
        elements.withUnsafeBufferPointer { a in
            v.withUnsafeBufferPointer { x in
                out.withUnsafeMutableBufferPointer { y in
                    cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(rows), Int32(columns),
                                1.0, a.baseAddress, Int32(columns), x.baseAddress, 1,
                                0.0, y.baseAddress, 1)
                }
            }
        }
        return out
    }
}
