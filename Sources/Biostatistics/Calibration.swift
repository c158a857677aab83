import Foundation
import LinearAlgebra

/// Settings for calibration analysis (plain values).
public struct CalibrationSettings: Sendable, Equatable {
    /// Hosmer–Lemeshow groups.
    public var groups = 10
    /// LOWESS span for the smoothed curve and the E statistics (rms::val.prob uses R's default 2/3).
    public var lowessSpan = 2.0 / 3.0
    /// Defaults as documented on each property.
    public init() {}
}

/// Calibration of predicted probabilities against 0/1 outcomes, as rms::val.prob reports it
/// (Harrell, Regression Modeling Strategies, 2nd ed., 2015, §10.11; Austin & Steyerberg,
/// Stat Med 38:4051, 2019 for Eavg/Emax/E90):
/// - Brier score, mean (p − y)²;
/// - calibration intercept a and slope b from the joint logistic fit y ~ a + b·logit(p);
/// - Eavg, Emax, E90: mean, maximum and type-7 90th percentile of |p − ŝ(p)| where ŝ is
///   `lowess(p, y, iter = 0)` read at each p by `approx(ties = mean)`;
/// - Spiegelhalter's z = Σ(y − p)(1 − 2p) / √Σ(1 − 2p)²p(1 − p) with a two-sided normal p;
/// - the Hosmer–Lemeshow test, and the binned (its groups) and smoothed calibration curves.
public struct CalibrationAnalysis: Sendable {
    public let brier: Double
    /// Calibration-in-the-large intercept of the joint fit (NaN if the fit is impossible).
    public let intercept: Double
    /// Calibration slope (NaN if the fit is impossible).
    public let slope: Double
    public let eavg: Double
    public let emax: Double
    public let e90: Double
    public let spiegelhalterZ: Double
    public let spiegelhalterP: Double
    public let hosmerLemeshow: HosmerLemeshow
    /// Binned curve: per Hosmer–Lemeshow group, mean predicted and observed event fraction.
    public let binned: [(predicted: Double, observed: Double, count: Int)]
    /// The smoothed curve (sorted predicted probabilities and the LOWESS fit of the outcome).
    public let smooth: Lowess
    /// Undefined quantities and why.
    public let diagnostics: [String]

    /// Analyses `probabilities` (strictly between 0 and 1) against `outcome` (0/1).
    public init(probabilities p: [Double], outcome: [Double], settings: CalibrationSettings = CalibrationSettings()) throws {
        try Validate.finite(p, "probabilities")
        try Validate.length(outcome.count, p.count, "outcome (one per probability)")
        let yb = try Validate.binary(outcome, "outcome")
        try Validate.bothClasses(yb, "calibration")
        guard p.allSatisfy({ $0 > 0 && $0 < 1 }) else {
            throw BiostatisticsError.invalidArgument("probabilities must be strictly between 0 and 1 (their logit is needed)")
        }
        let y = yb.map { $0 ? 1.0 : 0.0 }
        let n = Double(p.count)
        brier = zip(p, y).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / n
        var diagnostics = [String]()
        let logit = Matrix(rows: p.count, columns: 1, elements: p.map { log($0 / (1 - $0)) })
        do {
            let fit = try LogisticRegression().fit(predictors: logit, outcome: y, names: ["logit(p)"])
            intercept = fit.coefficients[0].estimate
            slope = fit.coefficients[1].estimate
        } catch let e as BiostatisticsError {
            intercept = .nan; slope = .nan
            diagnostics.append("calibration intercept and slope undefined: \(e)")
        }
        smooth = try Lowess(x: p, y: y, f: settings.lowessSpan, iterations: 0)
        let fitted = smooth.interpolate(p)
        let errors = zip(p, fitted).map { abs($0 - $1) }
        eavg = errors.reduce(0, +) / n
        emax = errors.max() ?? .nan
        e90 = Quantile.type7(errors, 0.9)
        var num = 0.0, den = 0.0
        for (pi, yi) in zip(p, y) {
            num += (yi - pi) * (1 - 2 * pi)
            den += (1 - 2 * pi) * (1 - 2 * pi) * pi * (1 - pi)
        }
        spiegelhalterZ = num / den.squareRoot()
        spiegelhalterP = Distributions.normalTwoSidedP(spiegelhalterZ)
        hosmerLemeshow = try HosmerLemeshow(probabilities: p, outcome: outcome, groups: settings.groups)
        binned = hosmerLemeshow.groups.map { ($0.meanProbability, $0.observed / Double($0.count), $0.count) }
        self.diagnostics = diagnostics
    }
}
