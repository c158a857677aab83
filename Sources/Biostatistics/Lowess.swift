import Foundation

/// Cleveland's LOWESS scatterplot smoother (Cleveland, JASA 74:829, 1979) exactly as R's
/// `lowess()` runs it (the `clowess` routine): tricube weights over the nearest
/// ⌊f·n⌋ points, a locally weighted straight line, points within `delta` of the last fit
/// linearly interpolated, optional robustness iterations with bisquare weights.
public struct Lowess: Sendable, Equatable {
    /// The x values, sorted ascending (R returns them sorted too).
    public let x: [Double]
    /// The smoothed values at `x`.
    public let y: [Double]

    /// Smooths `y` against `x`. `delta` defaults to 1% of the range of x, as in R.
    public init(x: [Double], y: [Double], f: Double = 2.0 / 3.0, iterations: Int = 3, delta: Double? = nil) throws {
        try Validate.finite(x, "lowess x")
        try Validate.finite(y, "lowess y")
        try Validate.length(y.count, x.count, "lowess y")
        let order = x.indices.sorted { x[$0] < x[$1] || (x[$0] == x[$1] && $0 < $1) }
        let xs = order.map { x[$0] }, ysIn = order.map { y[$0] }
        let d = delta ?? 0.01 * (xs[xs.count - 1] - xs[0])
        self.x = xs
        self.y = Lowess.clowess(xs, ysIn, f: f, nsteps: iterations, delta: d)
    }

    /// How `interpolate` collapses tied x values (R's `approx(ties = …)`).
    public enum Ties: Sendable { case mean, first }

    /// The smooth at new points by linear interpolation, tied x values collapsed first (by
    /// their mean, as val.prob's `approx(ties = mean)`, or the first, as rms::calibrate's);
    /// outside the range gives NaN, as `approx(rule = 1)`.
    public func interpolate(_ at: [Double], ties: Ties = .mean) -> [Double] {
        var ux = [Double](), uy = [Double]()
        var i = 0
        while i < x.count {
            var j = i, s = 0.0
            while j < x.count && x[j] == x[i] { s += y[j]; j += 1 }
            ux.append(x[i]); uy.append(ties == .mean ? s / Double(j - i) : y[i])
            i = j
        }
        return at.map { v in
            if v < ux[0] || v > ux[ux.count - 1] { return .nan }
            if ux.count == 1 { return uy[0] }
            // Binary search for the interval [ux[lo], ux[lo+1]] containing v.
            var lo = 0, hi = ux.count - 1
            while hi - lo > 1 { let mid = (lo + hi) / 2; if ux[mid] <= v { lo = mid } else { hi = mid } }
            if v == ux[hi] { return uy[hi] }
            if v == ux[lo] { return uy[lo] }
            return uy[lo] + (uy[hi] - uy[lo]) * (v - ux[lo]) / (ux[hi] - ux[lo])
        }
    }

    /// `fused`: the local fits by `lowestFused` (two passes over the window); false runs R's
    /// six-pass `lowest`, the reference twin the tests compare with.
    static func clowess(_ x: [Double], _ y: [Double], f: Double, nsteps: Int, delta: Double, fused: Bool = true) -> [Double] {
        let n = x.count
        var ys = [Double](repeating: 0, count: n)
        if n < 2 { return y }
        let ns = max(2, min(n, Int(f * Double(n) + 1e-7)))
        var rw = [Double](repeating: 1, count: n)
        var res = [Double](repeating: 0, count: n)
        var w = [Double](repeating: 0, count: n)
        var iter = 1
        while iter <= nsteps + 1 {
            var nleft = 0, nright = ns - 1, last = -1, i = 0
            while true {
                if nright < n - 1 {
                    let d1 = x[i] - x[nleft], d2 = x[nright + 1] - x[i]
                    if d1 > d2 { nleft += 1; nright += 1; continue }
                }
                let fit = fused ? lowestFused(x, y, xs: x[i], nleft: nleft, nright: nright, w: &w, robust: iter > 1, rw: rw)
                                : lowest(x, y, xs: x[i], nleft: nleft, nright: nright, w: &w, robust: iter > 1, rw: rw)
                if let v = fit {
                    ys[i] = v
                } else { ys[i] = y[i] }
                if last < i - 1 {
                    let denom = x[i] - x[last]
                    for j in (last + 1)..<i {
                        let a = (x[j] - x[last]) / denom
                        ys[j] = a * ys[i] + (1 - a) * ys[last]
                    }
                }
                last = i
                let cut = x[last] + delta
                i = last + 1
                while i < n {
                    if x[i] > cut { break }
                    if x[i] == x[last] { ys[i] = ys[last]; last = i }
                    i += 1
                }
                i = max(last + 1, i - 1)
                if last >= n - 1 { break }
            }
            for k in 0..<n { res[k] = y[k] - ys[k] }
            if iter > nsteps { break }
            // Robustness weights: bisquare of residuals over 6 × median |residual|.
            let absRes = res.map(abs).sorted()
            let m1 = n / 2
            let cmad = n % 2 == 0 ? 3 * (absRes[m1 - 1] + absRes[m1]) : 6 * absRes[m1]
            let sc = absRes.reduce(0, +) / Double(n)
            if cmad < 1e-7 * sc { break }
            let c9 = 0.999 * cmad, c1 = 0.001 * cmad
            for k in 0..<n {
                let r = abs(res[k])
                rw[k] = r <= c1 ? 1 : (r <= c9 ? pow(1 - pow(r / cmad, 2), 2) : 0)
            }
            iter += 1
        }
        return ys
    }

    /// One local fit at `xs` (clowess's `lowest`); nil when every weight is zero.
    static func lowest(_ x: [Double], _ y: [Double], xs: Double, nleft: Int, nright: Int,
                       w: inout [Double], robust: Bool, rw: [Double]) -> Double? {
        let n = x.count
        let range = x[n - 1] - x[0]
        let h = max(xs - x[nleft], x[nright] - xs)
        let h9 = 0.999 * h, h1 = 0.001 * h
        var a = 0.0
        var j = nleft
        while j < n {
            w[j] = 0
            let r = abs(x[j] - xs)
            if r <= h9 {
                if r <= h1 { w[j] = 1 } else { let t = r / h; let c = 1 - t * t * t; w[j] = c * c * c }
                if robust { w[j] *= rw[j] }
                a += w[j]
            } else if x[j] > xs { break }
            j += 1
        }
        let nrt = j - 1
        if a <= 0 { return nil }
        for k in nleft...nrt { w[k] /= a }
        if h > 0 {
            var m = 0.0
            for k in nleft...nrt { m += w[k] * x[k] }
            var b = xs - m
            var c = 0.0
            for k in nleft...nrt { c += w[k] * (x[k] - m) * (x[k] - m) }
            if c.squareRoot() > 0.001 * range {
                b /= c
                for k in nleft...nrt { w[k] *= b * (x[k] - m) + 1 }
            }
        }
        var ys = 0.0
        for k in nleft...nrt { ys += w[k] * y[k] }
        return ys
    }

    /// The same local fit in two passes over the window instead of six: the tricube weights
    /// with their sum a and first moment, then the centred second moment c and the sums of
    /// w·y and w·(x − m)·y; the weights are normalised at the end, so the fit is
    /// Σw·y/a + (xs − m)/c · Σw·(x − m)·y/a — `lowest`'s value to rounding (LowessTests).
    /// It is the bootstrap of rms::calibrate's inner loop (two smooths per replicate).
    static func lowestFused(_ x: [Double], _ y: [Double], xs: Double, nleft: Int, nright: Int,
                            w: inout [Double], robust: Bool, rw: [Double]) -> Double? {
        let n = x.count
        let range = x[n - 1] - x[0]
        let h = max(xs - x[nleft], x[nright] - xs)
        let h9 = 0.999 * h, h1 = 0.001 * h
        var a = 0.0, sx = 0.0
        var j = nleft
        while j < n {
            var wj = 0.0
            let r = abs(x[j] - xs)
            if r <= h9 {
                if r <= h1 { wj = 1 } else { let t = r / h; let c = 1 - t * t * t; wj = c * c * c }
                if robust { wj *= rw[j] }
                a += wj
                sx += wj * x[j]
            } else if x[j] > xs { break }
            w[j] = wj
            j += 1
        }
        let nrt = j - 1
        if a <= 0 { return nil }
        let m = sx / a
        var c = 0.0, sy = 0.0, sdy = 0.0
        for k in nleft...nrt {
            let d = x[k] - m, wk = w[k]
            c += wk * d * d
            sy += wk * y[k]
            sdy += wk * d * y[k]
        }
        c /= a
        sy /= a
        sdy /= a
        if h > 0 && c.squareRoot() > 0.001 * range { return sy + (xs - m) / c * sdy }
        return sy
    }
}
