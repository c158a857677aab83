import Foundation
import LinearAlgebra

/// Logistic regression by Firth's penalised likelihood (Firth, Biometrika 80:27–38, 1993;
/// Heinze & Schemper, Statistics in Medicine 21:2409–2419, 2002): maximises
/// l*(β) = l(β) + ½ log det I(β), I(β) = XᵀWX — Jeffreys' prior as a penalty. Unlike maximum
/// likelihood its estimates are finite under perfect or quasi-complete separation, which small
/// training cohorts produce; for the logit link it equals R's `brglm2::brglmFit` with
/// `type = "AS_mean"` (mean bias reduction) and `logistf`'s point estimates.
///
/// Newton steps on the modified score U*(β) = Xᵀ(y − μ + h ∘ (½ − μ)), h the diagonal of the
/// hat matrix W^½X(XᵀWX)⁻¹XᵀW^½, each step at most `maxStep` per coefficient (logistf's
/// `maxstep`) and halved until l* does not fall. Standard errors are Wald's from I(β̂)⁻¹, as
/// `summary()` of brglm2 reports them; deviance, AIC and the likelihood-ratio test are those of
/// the ordinary likelihood at β̂.
public struct FirthLogisticRegression: Sendable {
    /// Iterations, tolerance and level (the tolerance bounds the largest coefficient change).
    public let settings: LogisticRegressionSettings
    /// Largest change of one coefficient in one Newton step.
    public var maxStep = 5.0

    /// An estimator with the given settings.
    public init(settings: LogisticRegressionSettings = LogisticRegressionSettings()) { self.settings = settings }

    /// Fits `outcome` (0/1) on the columns of `predictors` plus an intercept. Throws on bad input
    /// or a singular design; separation is what this estimator is for.
    public func fit(predictors x: Matrix, outcome: [Double], names: [String]) throws -> LogisticModel {
        let (design, y, allNames) = try LogisticRegression.prepare(x, outcome, names)
        let p = x.columns
        var beta = [Double](repeating: 0, count: p + 1)
        var state = try evaluate(design, y, beta, allNames)
        var iterations = 0
        var converged = false
        while iterations < settings.maxIterations {
            iterations += 1
            var delta = (0...p).map { j in (0...p).reduce(0.0) { $0 + state.inverse[j, $1] * state.score[$1] } }
            let largest = delta.map(abs).max() ?? 0
            if largest > maxStep { delta = delta.map { $0 * maxStep / largest } }
            var factor = 1.0
            var next = try evaluate(design, y, zip(beta, delta).map { $0 + factor * $1 }, allNames)
            var halvings = 0
            while !(next.penalised >= state.penalised - 1e-12 * abs(state.penalised)) && halvings < 30 {
                factor /= 2
                halvings += 1
                next = try evaluate(design, y, zip(beta, delta).map { $0 + factor * $1 }, allNames)
            }
            let change = zip(beta, next.beta).map { abs($0 - $1) }.max() ?? 0
            beta = next.beta
            state = next
            let scoreSize = state.score.map(abs).max() ?? 0
            if change < 1e-12 && scoreSize < 1e-9 { converged = true; break }
        }

        let mu = state.eta.map(LogisticRegression.logistic)
        var diagnostics = ["Firth's penalised likelihood (bias-reduced; finite under separation)"]
        if !converged { diagnostics.append("Firth's Newton iteration did not converge in \(iterations) iterations") }
        if mu.contains(where: { $0 < 1e-8 || $0 > 1 - 1e-8 }) {
            diagnostics.append("some fitted probabilities are within 1e-8 of 0 or 1")
        }
        return LogisticRegression.model(beta: beta, covariance: state.inverse, eta: state.eta, y: y, names: allNames,
                                        level: settings.level, iterations: iterations, converged: converged, diagnostics: diagnostics)
    }

    /// Everything one Newton step needs at β.
    private struct State {
        var beta: [Double]
        var eta: [Double]
        /// I(β)⁻¹.
        var inverse: Matrix
        /// The modified score U*(β).
        var score: [Double]
        /// l(β) + ½ log det I(β).
        var penalised: Double
    }

    private func evaluate(_ design: Matrix, _ y: [Double], _ beta: [Double], _ names: [String]) throws -> State {
        let n = design.rows, k = design.columns
        let eta = try design.multiplied(by: beta)
        let mu = eta.map(LogisticRegression.logistic)
        let w = (0..<n).map { mu[$0] * LogisticRegression.logistic(-eta[$0]) }
        let information = try design.weightedGram(w)
        let factor: Matrix, inverse: Matrix
        do {
            factor = try information.cholesky()
            inverse = try information.symmetricPositiveDefiniteInverse()
        } catch LinearAlgebraError.singular(_, let pivot) {
            throw BiostatisticsError.singularDesign(detail: LogisticRegression.dependent(names, pivot))
        }
        var logDet = 0.0
        for j in 0..<k { logDet += 2 * log(factor[j, j]) }
        var score = [Double](repeating: 0, count: k)
        var row = [Double](repeating: 0, count: k)
        for i in 0..<n {
            for j in 0..<k { row[j] = design[i, j] }
            var quadratic = 0.0
            for a in 0..<k {
                var s = 0.0
                for b in 0..<k { s += inverse[a, b] * row[b] }
                quadratic += row[a] * s
            }
            let h = w[i] * quadratic
            let residual = y[i] - mu[i] + h * (0.5 - mu[i])
            for j in 0..<k { score[j] += row[j] * residual }
        }
        let logLikelihood = -LogisticRegression.deviance(y, eta: eta) / 2
        return State(beta: beta, eta: eta, inverse: inverse, score: score, penalised: logLikelihood + logDet / 2)
    }
}
