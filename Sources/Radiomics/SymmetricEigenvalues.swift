import Foundation

/// Eigenvalues of a real symmetric matrix: Householder reduction to tridiagonal form, then the
/// implicit QL algorithm with Wilkinson-style shifts (Golub & Van Loan, "Matrix Computations",
/// 4th ed., §8.3; Press et al., "Numerical Recipes", 3rd ed., §11.3–11.4). Used for the GLCM's
/// maximal correlation coefficient and the shape's principal axes; the room must not call
/// LAPACK (DESIGN.md: only LinearAlgebra does, and Radiomics does not import it).
enum SymmetricEigenvalues {
    /// Eigenvalues of the n × n symmetric matrix `a` (row-major), ascending.
    static func of(_ a: [Double], n: Int) -> [Double] {
        precondition(a.count == n * n)
        if n == 0 { return [] }
        if n == 1 { return [a[0]] }
        var m = a
        // Householder: zero column k below the sub-diagonal.
        if n > 2 {
            var v = [Double](repeating: 0, count: n)
            var p = [Double](repeating: 0, count: n)
            for k in 0..<(n - 2) {
                var norm2 = 0.0
                for r in (k + 1)..<n { norm2 += m[r * n + k] * m[r * n + k] }
                let norm = norm2.squareRoot()
                if norm == 0 { continue }
                let x0 = m[(k + 1) * n + k]
                let alpha = x0 > 0 ? -norm : norm
                for r in 0..<n { v[r] = 0 }
                for r in (k + 1)..<n { v[r] = m[r * n + k] }
                v[k + 1] -= alpha
                var vnorm2 = 0.0
                for r in (k + 1)..<n { vnorm2 += v[r] * v[r] }
                if vnorm2 == 0 { continue }
                let vnorm = vnorm2.squareRoot()
                for r in (k + 1)..<n { v[r] /= vnorm }
                // p = S v, K = vᵀ p, q = p − K v; S ← S − 2 (v qᵀ + q vᵀ) on the trailing block.
                var kk = 0.0
                for r in (k + 1)..<n {
                    var s = 0.0
                    for c in (k + 1)..<n { s += m[r * n + c] * v[c] }
                    p[r] = s
                    kk += v[r] * s
                }
                for r in (k + 1)..<n { p[r] -= kk * v[r] }
                for r in (k + 1)..<n {
                    for c in (k + 1)..<n {
                        m[r * n + c] -= 2 * (v[r] * p[c] + p[r] * v[c])
                    }
                }
                m[(k + 1) * n + k] = alpha
                m[k * n + k + 1] = alpha
                for r in (k + 2)..<n { m[r * n + k] = 0; m[k * n + r] = 0 }
            }
        }
        var d = (0..<n).map { m[$0 * n + $0] }
        var e = [Double](repeating: 0, count: n)
        for i in 0..<(n - 1) { e[i] = m[(i + 1) * n + i] }
        tridiagonalQL(&d, &e)
        return d.sorted()
    }

    /// Implicit QL on a symmetric tridiagonal matrix: `d` the diagonal, `e[i]` couples i and i+1.
    static func tridiagonalQL(_ d: inout [Double], _ e: inout [Double]) {
        let n = d.count
        for l in 0..<n {
            var iterations = 0
            while true {
                var m = l
                while m < n - 1 {
                    let dd = abs(d[m]) + abs(d[m + 1])
                    if abs(e[m]) <= Double.ulpOfOne * dd { break }
                    m += 1
                }
                if m == l { break }
                iterations += 1
                if iterations > 100 { break }
                var g = (d[l + 1] - d[l]) / (2 * e[l])
                var r = hypot(g, 1)
                g = d[m] - d[l] + e[l] / (g + (g >= 0 ? abs(r) : -abs(r)))
                var s = 1.0, c = 1.0, p = 0.0
                var i = m - 1
                var deflated = false
                while i >= l {
                    let f = s * e[i], b = c * e[i]
                    r = hypot(f, g)
                    e[i + 1] = r
                    if r == 0 {
                        d[i + 1] -= p
                        e[m] = 0
                        deflated = true
                        break
                    }
                    s = f / r
                    c = g / r
                    g = d[i + 1] - p
                    r = (d[i] - g) * s + 2 * c * b
                    p = s * r
                    d[i + 1] = g + p
                    g = c * r - b
                    i -= 1
                }
                if deflated { continue }
                d[l] -= p
                e[l] = g
                e[m] = 0
            }
        }
    }
}
