import Foundation
import LinearAlgebra

/// Settings for maximum-likelihood logistic regression by IRLS (plain values, no logic).
public struct LogisticRegressionSettings: Sendable, Equatable {
    /// Upper bound on Newton (IRLS) iterations.
    public var maxIterations = 100
    /// Convergence when |dev − dev_old| / (|dev| + 0.1) falls below this (R's `glm.control`
    /// criterion; R's default 1e-8 stops early enough to leave ~1e-6 differences, so we go further).
    public var tolerance = 1e-14
    /// Confidence level of the odds-ratio intervals.
    public var level = 0.95
    /// Defaults as documented on each property.
    public init() {}
}

/// Maximum-likelihood logistic regression fitted by iteratively reweighted least squares
/// (McCullagh & Nelder, Generalized Linear Models, 2nd ed., 1989, §4.4), as R's
/// `glm(family = binomial)`: Wald standard errors from (XᵀWX)⁻¹, Wald z and two-sided normal
/// p-values, odds ratios with Wald intervals exp(β ± z·SE) (R's `confint.default`), the
/// likelihood-ratio test against the intercept-only model, and AIC = deviance + 2·(p + 1).
public struct LogisticRegression: Sendable {
    /// The settings this estimator fits with.
    public let settings: LogisticRegressionSettings

    /// An estimator with the given settings.
    public init(settings: LogisticRegressionSettings = LogisticRegressionSettings()) { self.settings = settings }

    /// Fits `outcome` (0/1) on the columns of `predictors` (one row per subject) plus an
    /// intercept. Throws on bad input, a singular design or perfect separation.
    public func fit(predictors x: Matrix, outcome: [Double], names: [String]) throws -> LogisticModel {
        let (design, y, allNames) = try LogisticRegression.prepare(x, outcome, names)
        let n = x.rows, p = x.columns
        // Start as R does: μ = (y + ½)/2, one weighted least-squares step.
        var mu = y.map { ($0 + 0.5) / 2 }
        var eta = mu.map { log($0 / (1 - $0)) }
        var beta = [Double](repeating: 0, count: p + 1)
        var dev = LogisticRegression.deviance(y, eta: eta)
        var iterations = 0
        var converged = false
        let tiny = 10 * Double.ulpOfOne
        while iterations < settings.maxIterations {
            iterations += 1
            if mu.contains(where: { $0 < tiny || $0 > 1 - tiny }) { break }
            // 1 − μ from the linear predictor keeps its digits when μ is near 1.
            let comp = eta.map { LogisticRegression.logistic(-$0) }
            let w = (0..<n).map { mu[$0] * comp[$0] }
            var rhs = [Double](repeating: 0, count: p + 1)
            for i in 0..<n {
                let zi = eta[i] + (y[i] == 1 ? comp[i] : -mu[i]) / w[i]
                for j in 0...p { rhs[j] += design[i, j] * w[i] * zi }
            }
            let gram = try design.weightedGram(w)
            var newBeta: [Double]
            do { newBeta = try gram.choleskySolve(rhs) } catch LinearAlgebraError.singular(_, let pivot) {
                throw BiostatisticsError.singularDesign(detail: LogisticRegression.dependent(allNames, pivot))
            }
            // Step halving when the deviance rises (R's glm.fit does the same for divergence).
            var newEta = try design.multiplied(by: newBeta)
            var newMu = newEta.map(LogisticRegression.logistic)
            var newDev = LogisticRegression.deviance(y, eta: newEta)
            var halvings = 0
            while !(newDev.isFinite && newDev <= dev + 1e-8 * abs(dev)) && halvings < 30 && iterations > 1 {
                for j in 0...p { newBeta[j] = 0.5 * (newBeta[j] + beta[j]) }
                newEta = try design.multiplied(by: newBeta)
                newMu = newEta.map(LogisticRegression.logistic)
                newDev = LogisticRegression.deviance(y, eta: newEta)
                halvings += 1
            }
            let change = abs(newDev - dev) / (abs(newDev) + 0.1)
            var step = 0.0
            for j in 0...p { step = max(step, abs(newBeta[j] - beta[j]) / (abs(newBeta[j]) + 0.1)) }
            beta = newBeta; eta = newEta; mu = newMu; dev = newDev
            // Converged when the deviance has settled and the Newton step has vanished.
            if change < settings.tolerance && step < 1e-10 && iterations > 1 { converged = true; break }
        }
        if mu.contains(where: { $0 < tiny || $0 > 1 - tiny }) {
            throw BiostatisticsError.perfectSeparation(
                detail: "fitted probabilities numerically 0 or 1 after \(iterations) iterations")
        }
        let w = (0..<n).map { mu[$0] * LogisticRegression.logistic(-eta[$0]) }
        let covariance: Matrix
        do { covariance = try design.weightedGram(w).symmetricPositiveDefiniteInverse() } catch LinearAlgebraError.singular(_, let pivot) {
            throw BiostatisticsError.singularDesign(detail: LogisticRegression.dependent(allNames, pivot))
        }
        var diagnostics = [String]()
        if !converged { diagnostics.append("IRLS did not converge in \(iterations) iterations") }
        return LogisticRegression.model(beta: beta, covariance: covariance, eta: eta, y: y, names: allNames, level: settings.level,
                                        iterations: iterations, converged: converged, diagnostics: diagnostics)
    }

    /// Checks the input and makes the design matrix (a column of ones, then the predictors),
    /// the 0/1 outcome and the coefficient names ("(Intercept)" first). Throws on bad input, too
    /// few subjects or a constant predictor.
    static func prepare(_ x: Matrix, _ outcome: [Double], _ names: [String]) throws -> (design: Matrix, y: [Double], names: [String]) {
        let n = x.rows, p = x.columns
        try Validate.length(outcome.count, n, "outcome (one per row of predictors)")
        try Validate.length(names.count, p, "predictor names (one per column)")
        try Validate.finite(x.elements, "predictors")
        let yb = try Validate.binary(outcome, "outcome")
        try Validate.bothClasses(yb, "logistic regression")
        if n <= p + 1 {
            throw BiostatisticsError.singularDesign(detail: "\(n) subjects for \(p + 1) coefficients")
        }
        for j in 0..<p {
            let first = x[0, j]
            if (1..<n).allSatisfy({ x[$0, j] == first }) {
                throw BiostatisticsError.singularDesign(detail: "predictor \"\(names[j])\" is constant")
            }
        }
        var design = Matrix(rows: n, columns: p + 1)
        for i in 0..<n {
            design[i, 0] = 1
            for j in 0..<p { design[i, j + 1] = x[i, j] }
        }
        return (design, yb.map { $0 ? 1.0 : 0.0 }, ["(Intercept)"] + names)
    }

    /// The fitted model at β with its covariance: Wald table, ordinary deviance, AIC and the
    /// likelihood-ratio test against the intercept-only model.
    static func model(beta: [Double], covariance: Matrix, eta: [Double], y: [Double], names: [String], level: Double,
                      iterations: Int, converged: Bool, diagnostics: [String]) -> LogisticModel {
        let n = y.count, p = beta.count - 1
        let dev = LogisticRegression.deviance(y, eta: eta)
        let ybar = y.reduce(0, +) / Double(n)
        let nullDev = LogisticRegression.deviance(y, [Double](repeating: ybar, count: n))
        let z = Distributions.normalQuantile(1 - (1 - level) / 2)
        var coefficients = [LogisticModel.Coefficient]()
        for j in 0...p {
            let se = covariance[j, j].squareRoot()
            let zj = beta[j] / se
            coefficients.append(LogisticModel.Coefficient(
                name: names[j], estimate: beta[j], standardError: se, z: zj,
                p: Distributions.normalTwoSidedP(zj), oddsRatio: exp(beta[j]),
                oddsRatioCI: (exp(beta[j] - z * se), exp(beta[j] + z * se))))
        }
        let lr = nullDev - dev
        return LogisticModel(
            coefficients: coefficients, covariance: covariance, deviance: dev, nullDeviance: nullDev,
            logLikelihood: -dev / 2, aic: dev + 2 * Double(p + 1),
            likelihoodRatio: (lr, p, Distributions.chiSquareUpper(lr, df: Double(p))),
            subjects: n, iterations: iterations, converged: converged, diagnostics: diagnostics)
    }

    /// 1 / (1 + e^(−η)).
    static func logistic(_ eta: Double) -> Double { 1 / (1 + exp(-eta)) }

    /// log(1 + e^x) without overflow or loss of digits.
    static func softplus(_ x: Double) -> Double { x > 0 ? x + log1p(exp(-x)) : log1p(exp(x)) }

    /// Binomial deviance from the linear predictor: −2 log μ = 2·softplus(−η) for y = 1 and
    /// −2 log(1 − μ) = 2·softplus(η) for y = 0, accurate even where μ rounds to 0 or 1.
    static func deviance(_ y: [Double], eta: [Double]) -> Double {
        var s = 0.0
        for i in 0..<y.count { s += 2 * (y[i] == 1 ? softplus(-eta[i]) : softplus(eta[i])) }
        return s
    }

    /// Binomial deviance −2 Σ [y log μ + (1 − y) log(1 − μ)] for 0/1 outcomes.
    static func deviance(_ y: [Double], _ mu: [Double]) -> Double {
        var s = 0.0
        for i in 0..<y.count { s -= 2 * (y[i] == 1 ? log(mu[i]) : log1p(-mu[i])) }
        return s
    }

    /// Names the coefficient at which the Cholesky factorisation found a dependency.
    static func dependent(_ names: [String], _ pivot: Int) -> String {
        let k = pivot - 1
        guard k >= 0 && k < names.count else { return "columns are linearly dependent" }
        return "\"\(names[k])\" is a linear combination of the columns before it"
    }
}

/// A fitted logistic regression: immutable, with everything R's `summary(glm)` reports.
public struct LogisticModel: Sendable {
    /// One row of the coefficient table.
    public struct Coefficient: Sendable {
        public let name: String
        public let estimate: Double
        public let standardError: Double
        /// Wald z = estimate / SE.
        public let z: Double
        /// Two-sided p-value of the Wald test.
        public let p: Double
        /// exp(estimate).
        public let oddsRatio: Double
        /// exp(estimate ± z·SE) at the settings' level.
        public let oddsRatioCI: (lower: Double, upper: Double)
    }

    /// Intercept first, then the predictors in input order.
    public let coefficients: [Coefficient]
    /// (XᵀWX)⁻¹ at the estimate, in the order of `coefficients`.
    public let covariance: Matrix
    /// Residual deviance −2 log L.
    public let deviance: Double
    /// Deviance of the intercept-only model.
    public let nullDeviance: Double
    /// log L.
    public let logLikelihood: Double
    /// Akaike's information criterion, deviance + 2 × number of coefficients.
    public let aic: Double
    /// Likelihood-ratio test against the intercept-only model: χ², df and p.
    public let likelihoodRatio: (chi2: Double, df: Int, p: Double)
    /// Number of subjects.
    public let subjects: Int
    /// IRLS iterations used.
    public let iterations: Int
    /// Whether the deviance criterion was met.
    public let converged: Bool
    /// Surprises worth showing (non-convergence).
    public let diagnostics: [String]

    /// The estimates in coefficient order.
    public var estimates: [Double] { coefficients.map(\.estimate) }

    /// The linear predictor β₀ + Σ βⱼ xⱼ for one subject's predictor values.
    public func linearPredictor(_ x: [Double]) -> Double {
        precondition(x.count == coefficients.count - 1, "one value per predictor")
        var s = coefficients[0].estimate
        for j in 0..<x.count { s += coefficients[j + 1].estimate * x[j] }
        return s
    }

    /// The predicted probability for one subject's predictor values.
    public func probability(_ x: [Double]) -> Double { LogisticRegression.logistic(linearPredictor(x)) }
}

extension LogisticModel {
    /// The same fit with one more diagnostic (why it was fitted the way it was).
    public func noting(_ note: String) -> LogisticModel {
        LogisticModel(coefficients: coefficients, covariance: covariance, deviance: deviance, nullDeviance: nullDeviance,
                      logLikelihood: logLikelihood, aic: aic, likelihoodRatio: likelihoodRatio, subjects: subjects,
                      iterations: iterations, converged: converged, diagnostics: [note] + diagnostics)
    }
}
