import Foundation
import LinearAlgebra

/// Settings for intraclass correlation (plain values).
public struct ICCSettings: Sendable, Equatable {
    /// Confidence level of the F-based intervals.
    public var level = 0.95
    /// Defaults as documented on each property.
    public init() {}
}

/// One feature's intraclass correlations with F-based confidence intervals.
///
/// Forms (Shrout & Fleiss, Psychol Bull 86:420, 1979; McGraw & Wong, Psychol Methods 1:30,
/// 1996), from the two-way ANOVA mean squares of n subjects (rows, MSR) × k raters (columns,
/// MSC), residual MSE and one-way within-subject MSW:
/// - ICC(1,1) = (MSR − MSW) / (MSR + (k−1)·MSW), one-way random;
/// - ICC(2,1) = (MSR − MSE) / (MSR + (k−1)·MSE + k·(MSC − MSE)/n), two-way random, absolute
///   agreement — the form radiomics reproducibility studies use;
/// - ICC(3,1) = (MSR − MSE) / (MSR + (k−1)·MSE), two-way mixed, consistency.
/// Intervals as psych::ICC computes them: exact F intervals for (1,1) and (3,1), and
/// Satterthwaite's approximate degrees of freedom for (2,1) (McGraw & Wong, Table 7).
public struct ICCResult: Sendable, Equatable {
    public let icc11: Double
    public let ci11: ClosedInterval
    public let icc21: Double
    public let ci21: ClosedInterval
    public let icc31: Double
    public let ci31: ClosedInterval
    /// F = MSR / MSE and its p-value with (n − 1, (n − 1)(k − 1)) degrees of freedom.
    public let f: Double
    public let p: Double
    /// The mean squares: rows (subjects), columns (raters), error, within.
    public let msr: Double, msc: Double, mse: Double, msw: Double
    /// Undefined values (a constant feature gives 0/0) are NaN and explained here.
    public let diagnostics: [String]
}

/// A pair of bounds.
public struct ClosedInterval: Sendable, Equatable {
    public let lower: Double
    public let upper: Double
    /// The interval [lower, upper].
    public init(_ lower: Double, _ upper: Double) { self.lower = lower; self.upper = upper }
}

/// Intraclass correlation of ratings (subjects × raters), vectorised over features.
public struct IntraclassCorrelation: Sendable {
    /// The settings this estimator uses.
    public let settings: ICCSettings

    /// An estimator with the given settings.
    public init(settings: ICCSettings = ICCSettings()) { self.settings = settings }

    /// ICCs of one feature rated by k ≥ 2 raters (columns) on n ≥ 2 subjects (rows).
    public func fit(ratings: Matrix) throws -> ICCResult {
        try Validate.finite(ratings.elements, "ratings")
        guard ratings.rows >= 2, ratings.columns >= 2 else {
            throw BiostatisticsError.invalidArgument("ICC needs at least 2 subjects and 2 raters, got \(ratings.rows) × \(ratings.columns)")
        }
        var cache = [QuantileKey: Double]()
        return compute(ratings, cache: &cache)
    }

    /// ICCs of many features with two ratings each: column j of `first` against column j of
    /// `second` (same subjects in the same row order).
    public func fit(first: Matrix, second: Matrix) throws -> [ICCResult] {
        guard first.rows == second.rows, first.columns == second.columns else {
            throw BiostatisticsError.lengthMismatch(what: "second ratings (same shape as the first)",
                                                    expected: first.rows * first.columns, actual: second.rows * second.columns)
        }
        try Validate.finite(first.elements, "first ratings")
        try Validate.finite(second.elements, "second ratings")
        guard first.rows >= 2 else { throw BiostatisticsError.invalidArgument("ICC needs at least 2 subjects") }
        var out = [ICCResult]()
        out.reserveCapacity(first.columns)
        var m = Matrix(rows: first.rows, columns: 2)
        // F quantiles with the same degrees of freedom (all but ICC(2,1)'s) are shared by every feature.
        var cache = [QuantileKey: Double]()
        for j in 0..<first.columns {
            for i in 0..<first.rows { m[i, 0] = first[i, j]; m[i, 1] = second[i, j] }
            out.append(compute(m, cache: &cache))
        }
        return out
    }

    /// Degrees of freedom of a cached F quantile.
    struct QuantileKey: Hashable { let d1: Double, d2: Double }

    func compute(_ x: Matrix, cache: inout [QuantileKey: Double]) -> ICCResult {
        let n = Double(x.rows), k = Double(x.columns)
        var grand = 0.0
        for v in x.elements { grand += v }
        grand /= n * k
        var ssr = 0.0, ssc = 0.0, sst = 0.0
        for i in 0..<x.rows {
            var s = 0.0
            for j in 0..<x.columns { s += x[i, j] }
            ssr += (s / k - grand) * (s / k - grand)
        }
        ssr *= k
        for j in 0..<x.columns {
            var s = 0.0
            for i in 0..<x.rows { s += x[i, j] }
            ssc += (s / n - grand) * (s / n - grand)
        }
        ssc *= n
        for v in x.elements { sst += (v - grand) * (v - grand) }
        let sse = max(sst - ssr - ssc, 0)
        let msr = ssr / (n - 1), msc = ssc / (k - 1), mse = sse / ((n - 1) * (k - 1))
        let msw = (ssc + sse) / (n * (k - 1))
        let icc1 = (msr - msw) / (msr + (k - 1) * msw)
        let icc2 = (msr - mse) / (msr + (k - 1) * mse + k * (msc - mse) / n)
        let icc3 = (msr - mse) / (msr + (k - 1) * mse)
        var diagnostics = [String]()
        let a = 1 - settings.level
        let q = 1 - a / 2
        func fq(_ d1: Double, _ d2: Double) -> Double {
            guard d1 > 0 && d2 > 0 && d1.isFinite && d2.isFinite else { return .nan }
            let key = QuantileKey(d1: d1, d2: d2)
            if let v = cache[key] { return v }
            let v = Distributions.fQuantile(q, d1, d2)
            if d1 == d1.rounded() && d2 == d2.rounded() { cache[key] = v }
            return v
        }
        // ICC(1,1): F = MSR/MSW with (n − 1, n(k − 1)).
        let f11 = msr / msw
        let f1l = f11 / fq(n - 1, n * (k - 1)), f1u = f11 * fq(n * (k - 1), n - 1)
        let ci1 = ClosedInterval((f1l - 1) / (f1l + k - 1), (f1u - 1) / (f1u + k - 1))
        // ICC(3,1): F = MSR/MSE with (n − 1, (n − 1)(k − 1)).
        let f21 = msr / mse
        let f3l = f21 / fq(n - 1, (n - 1) * (k - 1)), f3u = f21 * fq((n - 1) * (k - 1), n - 1)
        let ci3 = ClosedInterval((f3l - 1) / (f3l + k - 1), (f3u - 1) / (f3u + k - 1))
        // ICC(2,1): Satterthwaite's degrees of freedom v.
        let fj = msc / mse
        let g = n * (1 + (k - 1) * icc2) - k * icc2
        let vn = (k - 1) * (n - 1) * (k * icc2 * fj + g) * (k * icc2 * fj + g)
        let vd = (n - 1) * k * k * icc2 * icc2 * fj * fj + g * g
        let v = vn / vd
        let fu = fq(n - 1, v), fl = fq(v, n - 1)
        let denom = k * msc + (k * n - k - n) * mse
        let ci2 = ClosedInterval(n * (msr - fu * mse) / (fu * denom + n * msr),
                                 n * (fl * msr - mse) / (denom + n * fl * msr))
        let p = mse > 0 ? Distributions.fUpper(f21, n - 1, (n - 1) * (k - 1)) : .nan
        if !(icc1.isFinite && icc2.isFinite && icc3.isFinite) {
            diagnostics.append("ICC undefined: the feature has no variance between or within subjects")
        }
        return ICCResult(icc11: icc1, ci11: ci1, icc21: icc2, ci21: ci2, icc31: icc3, ci31: ci3,
                         f: f21, p: p, msr: msr, msc: msc, mse: mse, msw: msw, diagnostics: diagnostics)
    }
}
