/// Regular-step gradient descent (ITK's RegularStepGradientDescentOptimizer): steps of a fixed
/// length along the negative scaled gradient; the step is multiplied by the relaxation factor
/// whenever the gradient turns back (its dot product with the previous one is negative), and
/// the descent stops when the step falls below the minimum, the scaled gradient below the
/// tolerance, or the iterations run out.
///
/// One addition to ITK's: the best point seen is returned (the last one may be a little worse).
/// (An earlier version also relaxed the step whenever the value rose: that stops the descent
/// early in the long, flat valleys of thick-slice T2 → DCE pairs, where the through-plane
/// rotation is found only by many small steps — measured 0.6° instead of 0.24° on centre A.)
///
/// Parameter scales follow ITK's "physical shift" idea: parameter j moves points by about
/// `shiftPerUnit[j]` mm per unit (the largest sample radius for a rotation in radians, 1 for a
/// translation in mm). The descent runs in the scaled coordinates uⱼ = μⱼ · shiftPerUnit[j],
/// where a step of length λ moves the image by about λ mm whichever parameters it touches.
struct RegularStepGradientDescent {
    var learningRate: Double
    var minimumStepLength: Double
    var relaxationFactor: Double
    var gradientMagnitudeTolerance: Double
    var maximumIterations: Int

    struct Outcome {
        var parameters: [Double]
        var iterations: Int
        var stopReason: String
    }

    /// Minimises `objective` (returning value and gradient ∂/∂μ, or throwing) from `start`.
    func minimise(from start: [Double], shiftPerUnit: [Double],
                  _ objective: ([Double]) throws -> (value: Double, gradient: [Double])) rethrows -> Outcome {
        var mu = start
        var step = learningRate
        var previous: [Double]? = nil
        var best = (value: Double.infinity, parameters: start)
        func outcome(_ iterations: Int, _ reason: String) -> Outcome {
            Outcome(parameters: best.value.isFinite ? best.parameters : mu, iterations: iterations, stopReason: reason)
        }
        for iteration in 0..<maximumIterations {
            let (value, g) = try objective(mu)
            if value < best.value { best = (value, mu) }
            // ∂S/∂u = ∂S/∂μ / shift.
            let gu = zip(g, shiftPerUnit).map { $0 / $1 }
            let magnitude = gu.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if !(magnitude >= gradientMagnitudeTolerance) {
                return outcome(iteration, "gradient tolerance")
            }
            if let previous, zip(gu, previous).reduce(0, { $0 + $1.0 * $1.1 }) < 0 {
                step *= relaxationFactor
            }
            if step < minimumStepLength {
                return outcome(iteration, "minimum step")
            }
            for j in mu.indices { mu[j] -= step * gu[j] / magnitude / shiftPerUnit[j] }
            previous = gu
        }
        let (value, _) = try objective(mu)
        if value < best.value { best = (value, mu) }
        return outcome(maximumIterations, "maximum iterations")
    }
}
