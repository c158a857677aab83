import LinearAlgebra

/// Intercept and coefficients (original feature scale) of the LASSO-logistic model at one λ.
public struct LassoCoefficients: Sendable, Equatable {
    /// The λ they belong to.
    public let lambda: Double
    /// The unpenalised intercept.
    public let intercept: Double
    /// One coefficient per feature column; 0 for features outside the model.
    public let beta: [Double]
}

extension LassoLogistic {
    /// The solutions at the requested λ values, as glmnet's `coef(fit, s, exact = TRUE)`: the
    /// path is refitted on the union of `path.lambdas` and the requested values (decreasing,
    /// exact duplicates once) with these settings, warm-started from one λ to the next, and the
    /// fit at each requested λ is returned in the order asked. `LassoPath.coefficients(at:)` is
    /// glmnet's `exact = FALSE` instead: linear interpolation between the neighbouring path
    /// values, which is what `cv.glmnet` uses for held-out predictions but is not the solution
    /// at λ (on the reference data it is up to ~3e-4 away, relative).
    ///
    /// - Parameters:
    ///   - x, outcome: the data `path` was fitted on.
    ///   - path: the fitted default (or user) path.
    ///   - lambdas: the λ values wanted (finite, ≥ 0, any order).
    public func solutions(x: Matrix, outcome: [Double], path: LassoPath, at lambdas: [Double]) throws -> [LassoCoefficients] {
        guard !lambdas.isEmpty else { return [] }
        guard lambdas.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
            throw BiostatisticsError.invalidArgument("λ values must be finite and non-negative")
        }
        var union = Array(Set(path.lambdas + lambdas))
        union.sort(by: >)
        var s = settings
        s.lambdas = union
        let refit = try LassoLogistic(settings: s).fit(x: x, outcome: outcome)
        return try lambdas.map { lambda in
            guard let k = union.firstIndex(of: lambda), k < refit.lambdas.count else {
                throw BiostatisticsError.invalidArgument(
                    "LASSO: the refit did not reach λ = \(lambda) (" + refit.diagnostics.joined(separator: "; ") + ")")
            }
            return LassoCoefficients(lambda: lambda, intercept: refit.intercepts[k], beta: refit.coefficients[k])
        }
    }
}
