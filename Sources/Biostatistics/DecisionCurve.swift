import Foundation

/// Settings for decision-curve analysis (plain values).
public struct DecisionCurveSettings: Sendable, Equatable {
    /// Threshold probabilities, default 0.01, 0.02, …, 0.99.
    public var thresholds: [Double] = (1...99).map { Double($0) / 100 }
    /// Defaults as documented on each property.
    public init() {}
}

/// Net benefit of a model against treating all and treating none (Vickers & Elkin, Med Decis
/// Making 26:565, 2006), with dcurves' conventions: a subject is treated when its risk is at
/// or above the threshold pₜ; net benefit = TP/n − FP/n · pₜ/(1 − pₜ); treat-all =
/// prevalence − (1 − prevalence) · pₜ/(1 − pₜ); treat-none = 0; net interventions avoided per
/// 100 = (NB_model − NB_all) / (pₜ/(1 − pₜ)) × 100.
public struct DecisionCurve: Sendable, Equatable {
    /// The threshold probabilities.
    public let thresholds: [Double]
    /// Net benefit of the model at each threshold.
    public let model: [Double]
    /// Net benefit of treating everyone.
    public let all: [Double]
    /// Net benefit of treating no one (0).
    public let none: [Double]
    /// Net interventions avoided per 100 subjects.
    public let interventionsAvoidedPer100: [Double]

    /// Computes the curves for risks `probabilities` and outcomes (0/1).
    public init(probabilities p: [Double], outcome: [Double], settings: DecisionCurveSettings = DecisionCurveSettings()) throws {
        try Validate.finite(p, "probabilities")
        try Validate.length(outcome.count, p.count, "outcome (one per probability)")
        let y = try Validate.binary(outcome, "outcome")
        guard p.allSatisfy({ $0 >= 0 && $0 <= 1 }) else { throw BiostatisticsError.invalidArgument("probabilities must be in [0, 1]") }
        guard settings.thresholds.allSatisfy({ $0 > 0 && $0 < 1 }) else {
            throw BiostatisticsError.invalidArgument("thresholds must be strictly between 0 and 1")
        }
        let n = Double(p.count)
        let prevalence = Double(y.filter { $0 }.count) / n
        var model = [Double](), all = [Double](), avoided = [Double]()
        for t in settings.thresholds {
            var tp = 0.0, fp = 0.0
            for (pi, yi) in zip(p, y) where pi >= t { if yi { tp += 1 } else { fp += 1 } }
            let odds = t / (1 - t)
            let nb = tp / n - fp / n * odds
            let nbAll = prevalence - (1 - prevalence) * odds
            model.append(nb)
            all.append(nbAll)
            avoided.append((nb - nbAll) / odds * 100)
        }
        thresholds = settings.thresholds
        self.model = model
        self.all = all
        none = [Double](repeating: 0, count: settings.thresholds.count)
        interventionsAvoidedPer100 = avoided
    }
}
