import Foundation
import LinearAlgebra

/// Settings for nomogram scales (plain values).
public struct NomogramSettings: Sendable, Equatable {
    /// Points given to the predictor with the largest range of effect (rms's `maxscale`).
    public var maxPoints = 100.0
    /// Approximate number of intervals on each axis (rms's `nint`).
    public var intervals = 10
    /// Variables with at most this many distinct values are drawn at those values (datadist's `n.unique`).
    public var discreteLimit = 10
    /// Probabilities to mark on the probability axis (those reachable by the total-points axis are kept).
    public var probabilityTicks: [Double] = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95]
    /// Defaults as documented on each property.
    public init() {}
}

/// The scales of a nomogram for a logistic model whose predictors enter linearly, as
/// rms::nomogram builds them (Harrell, Regression Modeling Strategies, 2nd ed., 2015, §10.10;
/// the rms source): each predictor's axis runs over `pretty(range(x), n = 10)` (or its distinct
/// values when it has at most 10); with sc = 100 / max_j(range of βⱼ·xⱼ over its axis), a value
/// scores points = sc·(βⱼ·x − minⱼ); the linear predictor is
/// β₀ + Σ minⱼ + total points / sc, and the probability 1/(1 + e^(−lp)).
public struct Nomogram: Sendable {
    /// One predictor's axis.
    public struct Axis: Sendable, Equatable {
        public let name: String
        /// Tick values of the predictor.
        public let values: [Double]
        /// Points at each tick.
        public let points: [Double]
        /// Points per unit of the predictor (sc·βⱼ; negative when the effect is protective).
        public let pointsPerUnit: Double
        /// min over the axis of βⱼ·x (subtracted so the axis starts at 0 points).
        public let minimumEffect: Double
    }

    /// The predictor axes in model order.
    public let axes: [Axis]
    /// Points per unit of linear predictor (sc).
    public let scale: Double
    /// The linear predictor at 0 total points: β₀ + Σ minⱼ.
    public let linearPredictorAtZero: Double
    /// Ticks of the total-points axis, pretty(0…sum.max).
    public let totalPointsTicks: [Double]
    /// Probability-axis ticks: (probability, total points) for the reachable requested probabilities.
    public let probabilityTicks: [(probability: Double, points: Double)]

    /// Builds the scales for `intercept` + Σ `coefficients`ⱼ·xⱼ, taking each predictor's range
    /// from the columns of `data` (subjects × predictors, the data the model was fitted on).
    public init(intercept: Double, coefficients: [Double], names: [String], data: Matrix,
                settings: NomogramSettings = NomogramSettings()) throws {
        try Validate.length(names.count, coefficients.count, "nomogram predictor names")
        try Validate.length(data.columns, coefficients.count, "nomogram data columns")
        try Validate.finite(coefficients + [intercept], "nomogram coefficients")
        try Validate.finite(data.elements, "nomogram data")
        guard data.rows >= 1 else { throw BiostatisticsError.empty(what: "nomogram data") }
        var values = [[Double]]()
        for j in 0..<coefficients.count {
            let col = data.column(j)
            let distinct = Array(Set(col)).sorted()
            if distinct.count <= settings.discreteLimit {
                values.append(distinct)
            } else {
                values.append(PrettyTicks.pretty(distinct[0], distinct[distinct.count - 1], n: settings.intervals))
            }
        }
        let effects = zip(coefficients, values).map { b, v in v.map { b * $0 } }
        let ranges = effects.map { ($0.max() ?? 0) - ($0.min() ?? 0) }
        guard let widest = ranges.max(), widest > 0 else {
            throw BiostatisticsError.invalidArgument("nomogram: no predictor has any effect (all coefficients or ranges are 0)")
        }
        let sc = settings.maxPoints / widest
        var axes = [Axis]()
        var lp0 = intercept
        for j in 0..<coefficients.count {
            let mn = effects[j].min() ?? 0
            lp0 += mn
            axes.append(Axis(name: names[j], values: values[j], points: effects[j].map { sc * ($0 - mn) },
                             pointsPerUnit: sc * coefficients[j], minimumEffect: mn))
        }
        // rms: the total-points axis reaches the larger of maxscale and the highest pretty
        // linear predictor of the data; probability ticks are kept inside that lp range.
        var xb = [Double]()
        for i in 0..<data.rows {
            var s = intercept
            for j in 0..<coefficients.count { s += coefficients[j] * data[i, j] }
            xb.append(s)
        }
        let lpAt = PrettyTicks.pretty(xb.min()!, xb.max()!, n: settings.intervals)
        let sumMax = max(settings.maxPoints, sc * (lpAt.max()! - lp0))
        totalPointsTicks = PrettyTicks.pretty(0, sumMax, n: settings.intervals)
        let lpLo = lpAt.min()!, lpHi = lpAt.max()!
        probabilityTicks = settings.probabilityTicks.compactMap { p in
            guard p > 0 && p < 1 else { return nil }
            let lp = log(p / (1 - p))
            guard lp >= lpLo && lp <= lpHi else { return nil }
            return (p, (lp - lp0) * sc)
        }
        self.axes = axes
        self.scale = sc
        self.linearPredictorAtZero = lp0
    }

    /// Points each predictor value scores (one value per axis).
    public func points(for x: [Double]) -> [Double] {
        precondition(x.count == axes.count, "one value per predictor")
        return zip(axes, x).map { a, v in a.pointsPerUnit * v - scale * a.minimumEffect }
    }

    /// The linear predictor for a total of points.
    public func linearPredictor(totalPoints: Double) -> Double { linearPredictorAtZero + totalPoints / scale }

    /// The probability for a total of points.
    public func probability(totalPoints: Double) -> Double { 1 / (1 + exp(-linearPredictor(totalPoints: totalPoints))) }
}
