import Foundation

/// Tests for a cohort's baseline table (one group against another), each with the p-value R
/// gives:
/// - Welch's unequal-variance t-test (Welch, Biometrika 34:28, 1947; R's `t.test`);
/// - the Wilcoxon–Mann–Whitney test with the normal approximation, tie-corrected variance and
///   continuity correction (R's `wilcox.test(exact = FALSE, correct = TRUE)`);
/// - Pearson's chi-square test of an r × c table, optionally with Yates's correction for 2 × 2
///   (R's `chisq.test`);
/// - Fisher's exact test of a 2 × k table by enumerating all tables with the observed margins,
///   summing those no more probable than the observed one within R's relative tolerance 1e-7
///   (R's `fisher.test`).
public enum GroupComparison {
    /// Welch's t-test result.
    public struct TTest: Sendable, Equatable {
        public let t: Double
        public let df: Double
        public let p: Double
        /// Mean of the first group minus mean of the second.
        public let difference: Double
    }

    /// Welch's t-test of `x` against `y`.
    public static func welchT(_ x: [Double], _ y: [Double]) throws -> TTest {
        try Validate.finite(x, "first group"); try Validate.finite(y, "second group")
        guard x.count >= 2 && y.count >= 2 else { throw BiostatisticsError.invalidArgument("Welch's t-test needs at least 2 values per group") }
        func mv(_ a: [Double]) -> (Double, Double) {
            let m = a.reduce(0, +) / Double(a.count)
            return (m, a.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(a.count - 1))
        }
        let (mx, vx) = mv(x), (my, vy) = mv(y)
        let sx = vx / Double(x.count), sy = vy / Double(y.count)
        let se = (sx + sy).squareRoot()
        guard se > 0 else { throw BiostatisticsError.invalidArgument("Welch's t-test: both groups are constant") }
        let t = (mx - my) / se
        let df = (sx + sy) * (sx + sy) / (sx * sx / Double(x.count - 1) + sy * sy / Double(y.count - 1))
        return TTest(t: t, df: df, p: Distributions.studentTTwoSidedP(t, df: df), difference: mx - my)
    }

    /// The Mann–Whitney result: R's W (rank sum of the first group minus n₁(n₁+1)/2), z and p.
    public struct MannWhitney: Sendable, Equatable {
        public let w: Double
        public let z: Double
        public let p: Double
    }

    /// Wilcoxon–Mann–Whitney test of `x` against `y`, normal approximation with tie and
    /// continuity corrections.
    public static func mannWhitney(_ x: [Double], _ y: [Double]) throws -> MannWhitney {
        try Validate.finite(x, "first group"); try Validate.finite(y, "second group")
        let n1 = Double(x.count), n2 = Double(y.count)
        let ranks = DeLong.midranks(x + y)
        let w = ranks.prefix(x.count).reduce(0, +) - n1 * (n1 + 1) / 2
        var ties = [Double: Int]()
        for v in x + y { ties[v, default: 0] += 1 }
        let tieSum = ties.values.reduce(0.0) { $0 + Double($1 * $1 * $1 - $1) }
        let n = n1 + n2
        let sigma = (n1 * n2 / 12 * ((n + 1) - tieSum / (n * (n - 1)))).squareRoot()
        guard sigma > 0 else { throw BiostatisticsError.invalidArgument("Mann-Whitney: all values are tied") }
        var z = w - n1 * n2 / 2
        let correction = z > 0 ? 0.5 : (z < 0 ? -0.5 : 0)
        z = (z - correction) / sigma
        return MannWhitney(w: w, z: z, p: Distributions.normalTwoSidedP(z))
    }

    /// Pearson's chi-square result.
    public struct ChiSquare: Sendable, Equatable {
        public let chi2: Double
        public let df: Int
        public let p: Double
        /// Expected counts under independence.
        public let expected: [[Double]]
    }

    /// Pearson's chi-square test of independence for a table of counts (rows × columns).
    public static func chiSquare(_ table: [[Double]], yates: Bool = false) throws -> ChiSquare {
        let r = table.count
        guard r >= 2, let c = table.first?.count, c >= 2, table.allSatisfy({ $0.count == c }) else {
            throw BiostatisticsError.invalidArgument("chi-square needs a table of at least 2 × 2 with rows of equal length")
        }
        try Validate.finite(table.flatMap { $0 }, "table")
        guard table.flatMap({ $0 }).allSatisfy({ $0 >= 0 }) else { throw BiostatisticsError.invalidArgument("counts must be non-negative") }
        let rows = table.map { $0.reduce(0, +) }
        let cols = (0..<c).map { j in table.reduce(0) { $0 + $1[j] } }
        let total = rows.reduce(0, +)
        guard rows.allSatisfy({ $0 > 0 }) && cols.allSatisfy({ $0 > 0 }) else {
            throw BiostatisticsError.invalidArgument("chi-square: a row or column of the table is empty")
        }
        var chi2 = 0.0
        var expected = table
        let useYates = yates && r == 2 && c == 2
        var correction = 0.0
        if useYates {
            correction = 0.5
            for i in 0..<r { for j in 0..<c { correction = min(correction, abs(table[i][j] - rows[i] * cols[j] / total)) } }
        }
        for i in 0..<r {
            for j in 0..<c {
                let e = rows[i] * cols[j] / total
                expected[i][j] = e
                let d = abs(table[i][j] - e) - correction
                chi2 += d * d / e
            }
        }
        let df = (r - 1) * (c - 1)
        return ChiSquare(chi2: chi2, df: df, p: Distributions.chiSquareUpper(chi2, df: Double(df)), expected: expected)
    }

    /// Tables enumerated before Fisher's test gives up (suggesting the chi-square test).
    public static let fisherTableLimit = 50_000_000

    /// Fisher's exact test (two-sided) of a 2 × k table of counts.
    public static func fisherExact(_ table: [[Double]]) throws -> Double {
        guard table.count == 2, let k = table.first?.count, k >= 2, table[1].count == k else {
            throw BiostatisticsError.invalidArgument("Fisher's exact test here takes a 2 × k table (k ≥ 2)")
        }
        let cells = table.flatMap { $0 }
        try Validate.finite(cells, "table")
        guard cells.allSatisfy({ $0 >= 0 && $0 == $0.rounded() }) else {
            throw BiostatisticsError.invalidArgument("Fisher's exact test needs non-negative whole counts")
        }
        let cols = (0..<k).map { Int(table[0][$0] + table[1][$0]) }
        let r1 = Int(table[0].reduce(0, +))
        // log probability of a first row a: Σ log C(c_j, a_j) − log C(N, r1).
        func lchoose(_ n: Int, _ m: Int) -> Double { lgamma(Double(n + 1)) - lgamma(Double(m + 1)) - lgamma(Double(n - m + 1)) }
        let n = cols.reduce(0, +)
        let base = lchoose(n, r1)
        let observed = (0..<k).reduce(0.0) { $0 + lchoose(cols[$1], Int(table[0][$1])) } - base
        let limit = observed + log1p(1e-7)
        var suffix = [Int](repeating: 0, count: k + 1)
        for j in stride(from: k - 1, through: 0, by: -1) { suffix[j] = suffix[j + 1] + cols[j] }
        var total = 0.0
        var visited = 0
        var overflow = false
        func walk(_ j: Int, _ remaining: Int, _ logp: Double) {
            if overflow { return }
            if j == k - 1 {
                visited += 1
                if visited > fisherTableLimit { overflow = true; return }
                let lp = logp + lchoose(cols[j], remaining) - base
                if lp <= limit { total += exp(lp) }
                return
            }
            let lo = max(0, remaining - suffix[j + 1]), hi = min(cols[j], remaining)
            if lo > hi { return }
            for a in lo...hi { walk(j + 1, remaining - a, logp + lchoose(cols[j], a)) }
        }
        walk(0, r1, 0)
        if overflow {
            throw BiostatisticsError.invalidArgument("Fisher's exact test: more than \(fisherTableLimit) tables; use the chi-square test")
        }
        return min(1, total)
    }
}
