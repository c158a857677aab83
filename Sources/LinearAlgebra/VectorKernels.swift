internal import CBLAS

/// Level-1 BLAS on raw buffers, for inner loops (coordinate descent) that cannot afford an
/// array allocation per call. Each kernel has a plain-Swift reference twin.
public enum VectorKernels {
    /// Σ xᵢ·yᵢ over n elements (BLAS `ddot`).
    public static func dot(_ n: Int, _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>) -> Double {
        cblas_ddot(Int32(n), x, 1, y, 1)
    }

    /// The plain loop: the oracle for `dot`.
    public static func dotReference(_ n: Int, _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>) -> Double {
        var s = 0.0
        for i in 0..<n { s += x[i] * y[i] }
        return s
    }

    /// y ← a·x + y over n elements (BLAS `daxpy`).
    public static func axpy(_ n: Int, _ a: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>) {
        cblas_daxpy(Int32(n), a, x, 1, y, 1)
    }

    /// The plain loop: the oracle for `axpy`.
    public static func axpyReference(_ n: Int, _ a: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>) {
        for i in 0..<n { y[i] += a * x[i] }
    }
}
