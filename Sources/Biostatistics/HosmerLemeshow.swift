import Foundation

/// The Hosmer–Lemeshow goodness-of-fit test (Hosmer & Lemeshow, Applied Logistic Regression,
/// 2nd ed., 2000, §5.2.2) exactly as ResourceSelection's `hoslem.test` computes it: groups cut
/// at the type-7 quantiles of the predicted probabilities (duplicate breaks dropped,
/// right-closed intervals, the lowest included), χ² summed over both outcome columns
/// (observed vs expected events and non-events), df = g − 2 with g the requested groups.
public struct HosmerLemeshow: Sendable, Equatable {
    /// The χ² statistic.
    public let chi2: Double
    /// Degrees of freedom, g − 2.
    public let df: Int
    /// Upper-tail p-value.
    public let p: Double
    /// Per group: number of subjects, observed events, expected events, mean probability.
    public let groups: [Group]

    /// One risk group.
    public struct Group: Sendable, Equatable {
        public let count: Int
        public let observed: Double
        public let expected: Double
        public let meanProbability: Double
    }

    /// Computes the test for probabilities `p` and outcomes `y` (0/1) with `g` groups.
    public init(probabilities p: [Double], outcome: [Double], groups g: Int = 10) throws {
        try Validate.finite(p, "probabilities")
        try Validate.length(outcome.count, p.count, "outcome (one per probability)")
        let y = try Validate.binary(outcome, "outcome")
        guard p.allSatisfy({ $0 >= 0 && $0 <= 1 }) else { throw BiostatisticsError.invalidArgument("probabilities must be in [0, 1]") }
        guard g >= 3 else { throw BiostatisticsError.invalidArgument("Hosmer-Lemeshow needs at least 3 groups") }
        let sorted = p.sorted()
        var breaks = [Double]()
        for k in 0...g {
            let b = Quantile.type7(sorted, Double(k) / Double(g), sorted: true)
            if breaks.last != b { breaks.append(b) }
        }
        let bins = max(breaks.count - 1, 1)
        var count = [Int](repeating: 0, count: bins), obs = [Double](repeating: 0, count: bins)
        var exp = [Double](repeating: 0, count: bins)
        for (pi, yi) in zip(p, y) {
            // Right-closed (b_{k}, b_{k+1}], the first bin also takes its left end.
            var k = 0
            while k < bins - 1 && pi > breaks[k + 1] { k += 1 }
            count[k] += 1
            obs[k] += yi ? 1 : 0
            exp[k] += pi
        }
        var chi2 = 0.0
        var groups = [Group]()
        for k in 0..<bins where count[k] > 0 {
            let nk = Double(count[k])
            chi2 += (obs[k] - exp[k]) * (obs[k] - exp[k]) / exp[k]
            chi2 += ((nk - obs[k]) - (nk - exp[k])) * ((nk - obs[k]) - (nk - exp[k])) / (nk - exp[k])
            groups.append(Group(count: count[k], observed: obs[k], expected: exp[k], meanProbability: exp[k] / nk))
        }
        self.chi2 = chi2
        self.df = g - 2
        self.p = Distributions.chiSquareUpper(chi2, df: Double(g - 2))
        self.groups = groups
    }
}
