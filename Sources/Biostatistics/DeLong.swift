import Foundation

/// DeLong's nonparametric variance of the AUC and the test for two correlated AUCs
/// (DeLong, DeLong & Clarke-Pearson, Biometrics 44:837, 1988), computed with the midrank
/// algorithm of Sun & Xu (IEEE Signal Processing Letters 21:1389, 2014) in O(n log n).
///
/// Conventions as pROC's: a higher score means "more likely positive" (pROC's
/// `direction = "<"`), ties between a case and a control count ½, the variance is
/// S10/m + S01/n with sample (m − 1, n − 1) covariances.
public enum DeLong {
    /// The structural components: V10 per positive, V01 per negative, and their mean (the AUC).
    public struct Components: Sendable, Equatable {
        /// V10_i = fraction of negatives scored below positive i (ties ½).
        public let v10: [Double]
        /// V01_j = fraction of positives scored above negative j (ties ½).
        public let v01: [Double]
        /// The AUC (the mean of `v10`, equal to the mean of `v01`).
        public let auc: Double
    }

    /// Components by midranks (Sun & Xu 2014, eqs. 6–8): V10_i = (T_Z,i − T_X,i)/n and
    /// V01_j = 1 − (T_Z,j − T_Y,j)/m, where T_Z are midranks among all scores and T_X, T_Y among
    /// the positives and negatives alone.
    public static func components(positives x: [Double], negatives y: [Double]) -> Components {
        let m = x.count, n = y.count
        precondition(m > 0 && n > 0, "DeLong needs both classes")
        let tx = midranks(x), ty = midranks(y), tz = midranks(x + y)
        var v10 = [Double](repeating: 0, count: m), v01 = [Double](repeating: 0, count: n)
        for i in 0..<m { v10[i] = (tz[i] - tx[i]) / Double(n) }
        for j in 0..<n { v01[j] = 1 - (tz[m + j] - ty[j]) / Double(m) }
        let auc = v10.reduce(0, +) / Double(m)
        return Components(v10: v10, v01: v01, auc: auc)
    }

    /// The O(m·n) definition (DeLong 1988, ψ(X, Y) = 1, ½, 0): the oracle for `components`.
    public static func componentsReference(positives x: [Double], negatives y: [Double]) -> Components {
        func psi(_ a: Double, _ b: Double) -> Double { a > b ? 1 : (a == b ? 0.5 : 0) }
        let v10 = x.map { xi in y.reduce(0) { $0 + psi(xi, $1) } / Double(y.count) }
        let v01 = y.map { yj in x.reduce(0) { $0 + psi($1, yj) } / Double(x.count) }
        return Components(v10: v10, v01: v01, auc: v10.reduce(0, +) / Double(x.count))
    }

    /// Midranks (average ranks of ties, 1-based) of `values`.
    static func midranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
            let r = Double(i + j) / 2 + 1
            for k in i...j { ranks[order[k]] = r }
            i = j + 1
        }
        return ranks
    }

    /// Sample covariance with denominator count − 1 (0 for a single value).
    static func covariance(_ a: [Double], _ b: [Double]) -> Double {
        let k = a.count
        if k < 2 { return 0 }
        let ma = a.reduce(0, +) / Double(k), mb = b.reduce(0, +) / Double(k)
        var s = 0.0
        for i in 0..<k { s += (a[i] - ma) * (b[i] - mb) }
        return s / Double(k - 1)
    }

    /// Var(AUC) = S10/m + S01/n (DeLong 1988, eq. 2 with one curve).
    public static func variance(_ c: Components) -> Double {
        covariance(c.v10, c.v10) / Double(c.v10.count) + covariance(c.v01, c.v01) / Double(c.v01.count)
    }

    /// The paired test of two AUCs measured on the same subjects.
    public struct PairedTest: Sendable, Equatable {
        /// AUC of the first score minus AUC of the second.
        public let difference: Double
        /// Var(AUC₁ − AUC₂) = Var₁ + Var₂ − 2 Cov₁₂.
        public let varianceOfDifference: Double
        /// z = difference / √variance (0 when both curves are identical).
        public let z: Double
        /// Two-sided p-value from the standard normal (1 when the curves are identical).
        public let p: Double
    }

    /// DeLong's test for two correlated AUCs (DeLong 1988, eq. 3; pROC's `roc.test(paired = TRUE)`).
    public static func pairedTest(_ a: Components, _ b: Components) -> PairedTest {
        precondition(a.v10.count == b.v10.count && a.v01.count == b.v01.count, "paired components differ in size")
        let m = Double(a.v10.count), n = Double(a.v01.count)
        let cov = covariance(a.v10, b.v10) / m + covariance(a.v01, b.v01) / n
        let v = variance(a) + variance(b) - 2 * cov
        let d = a.auc - b.auc
        if d == 0 || v <= 0 {
            // Identical curves: no evidence of a difference (pROC returns NaN here).
            return PairedTest(difference: d, varianceOfDifference: max(v, 0), z: 0, p: d == 0 ? 1 : 0)
        }
        let z = d / v.squareRoot()
        return PairedTest(difference: d, varianceOfDifference: v, z: z, p: Distributions.normalTwoSidedP(z))
    }
}
