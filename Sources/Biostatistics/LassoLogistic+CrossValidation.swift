import Foundation
import Support
import LinearAlgebra

/// How folds are assigned for cross-validation.
public enum FoldAssignment: Sendable, Equatable {
    /// Fold ids 1…K given per subject (glmnet's `foldid`).
    case given([Int])
    /// K folds of near-equal size assigned by a seeded shuffle (a SplitMix64 Fisher–Yates
    /// shuffle of rep(1…K); it cannot reproduce R's `sample`, so give fold ids to match R).
    case seeded(folds: Int, seed: UInt64)
}

/// The result of K-fold cross-validation of the path, as `cv.glmnet(type.measure = "deviance")`.
public struct LassoCrossValidation: Sendable {
    /// The path fitted on all subjects.
    public let path: LassoPath
    /// The fold of each subject (1…K).
    public let foldIDs: [Int]
    /// Mean cross-validated binomial deviance at each λ of `path`.
    public let cvm: [Double]
    /// Its standard error: weighted sd of the fold means / √(K − 1).
    public let cvsd: [Double]
    /// Largest λ with cvm ≤ min(cvm).
    public let lambdaMin: Double
    /// Largest λ with cvm ≤ cvm(λ_min) + cvsd(λ_min).
    public let lambda1se: Double
    /// Number of λ values each fold's own path reached.
    public let foldPathLengths: [Int]
    /// Surprises from the fold fits.
    public let diagnostics: [String]
}

extension LassoLogistic {
    /// K-fold cross-validation by binomial deviance, with glmnet's conventions: each fold fits
    /// its own default λ path (its own λ_max and early stop); held-out predictions are read at
    /// the full-data λ values by `lambda.interp` (linear in λ, clamped at the ends of the fold's
    /// path); probabilities are clamped to [1e-5, 1 − 1e-5]; fold means are weighted by fold
    /// size; lambda.min and lambda.1se as `getOptcv.glmnet`. Folds run concurrently.
    public func crossValidate(x: Matrix, outcome: [Double], folds: FoldAssignment) throws -> LassoCrossValidation {
        try Validate.length(outcome.count, x.rows, "outcome (one per row of the feature matrix)")
        try Validate.finite(x.elements, "features")
        let y = try Validate.binary(outcome, "outcome")
        try validateSettings()
        let n = x.rows
        let ids: [Int]
        switch folds {
        case .given(let f):
            try Validate.length(f.count, n, "fold ids (one per subject)")
            guard let k = f.max(), f.allSatisfy({ $0 >= 1 }), Set(f).count == k, k >= 3 else {
                throw BiostatisticsError.invalidArgument("fold ids must be 1…K with every fold present and K ≥ 3 (as cv.glmnet requires)")
            }
            ids = f
        case let .seeded(k, seed):
            guard k >= 3 && k <= n else { throw BiostatisticsError.invalidArgument("number of folds must be in 3…\(n), got \(k)") }
            var f = (0..<n).map { $0 % k + 1 }
            var rng = SplitMix64(seed: seed)
            for i in stride(from: n - 1, to: 0, by: -1) { f.swapAt(i, rng.nextIndex(i + 1)) }
            ids = f
        }
        let k = ids.max() ?? 0
        // Fit the full path and every fold's path; fold fits use the default path (the user's
        // λ sequence when one is given, as glmnet passes it through).
        let jobs = k + 1
        let box = ResultBox<Result<LassoPath, Error>>(count: jobs)
        let settings = self.settings
        DispatchQueue.concurrentPerform(iterations: jobs) { job in
            let rows = job == 0 ? Array(0..<n) : (0..<n).filter { ids[$0] != job }
            let r = Result { try LassoPathSolver(x: x, rows: rows, y: y, settings: settings).run() }
            box.set(job, r)
        }
        var paths = [LassoPath]()
        for job in 0..<jobs {
            switch box.get(job)! {
            case .success(let p): paths.append(p)
            case .failure(let e):
                if job == 0 { throw e }
                if case let BiostatisticsError.oneClassOnly(_, pos, neg) = e {
                    throw BiostatisticsError.oneClassOnly(
                        what: "LASSO cross-validation: training set without fold \(job) (glmnet needs at least 2 of each class)",
                        positives: pos, negatives: neg)
                }
                throw e
            }
        }
        let full = paths[0]
        guard !full.lambdas.isEmpty else { throw BiostatisticsError.invalidArgument("the path has no λ values") }
        let lambdas = full.lambdas
        let nl = lambdas.count
        // cvraw[fold][λ]: mean held-out deviance of the fold.
        var cvraw = Array(repeating: [Double](repeating: 0, count: nl), count: k)
        var weights = [Double](repeating: 0, count: k)
        let probMin = 1e-5, probMax = 1 - probMin
        for f in 1...k {
            let held = (0..<n).filter { ids[$0] == f }
            weights[f - 1] = Double(held.count)
            let path = paths[f]
            for (l, lambda) in lambdas.enumerated() {
                let c = path.coefficients(at: lambda)
                // Only the non-zero coefficients enter the prediction.
                let nz = c.beta.indices.filter { c.beta[$0] != 0 }
                var s = 0.0
                for i in held {
                    var eta = c.intercept
                    let base = i * x.columns
                    for j in nz { eta += c.beta[j] * x.elements[base + j] }
                    let pr = min(max(1 / (1 + exp(-eta)), probMin), probMax)
                    s += y[i] ? -2 * log(pr) : -2 * log(1 - pr)
                }
                cvraw[f - 1][l] = s / Double(held.count)
            }
        }
        let wsum = weights.reduce(0, +)
        var cvm = [Double](repeating: 0, count: nl), cvsd = [Double](repeating: 0, count: nl)
        for l in 0..<nl {
            var m = 0.0
            for f in 0..<k { m += weights[f] * cvraw[f][l] }
            m /= wsum
            var s = 0.0
            for f in 0..<k { s += weights[f] * (cvraw[f][l] - m) * (cvraw[f][l] - m) }
            cvm[l] = m
            cvsd[l] = (s / wsum / Double(k - 1)).squareRoot()
        }
        let best = cvm.min()!
        let idMin = (0..<nl).filter { cvm[$0] <= best }.max { lambdas[$0] < lambdas[$1] }!
        let bound = cvm[idMin] + cvsd[idMin]
        let id1se = (0..<nl).filter { cvm[$0] <= bound }.max { lambdas[$0] < lambdas[$1] }!
        var diagnostics = full.diagnostics
        for f in 1...k { diagnostics += paths[f].diagnostics.map { "fold \(f): " + $0 } }
        return LassoCrossValidation(path: full, foldIDs: ids, cvm: cvm, cvsd: cvsd,
                                    lambdaMin: lambdas[idMin], lambda1se: lambdas[id1se],
                                    foldPathLengths: paths.dropFirst().map { $0.lambdas.count },
                                    diagnostics: diagnostics)
    }
}

/// Slots written once each by concurrent jobs, read after they finish.
final class ResultBox<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ v: T) { lock.lock(); slots[i] = v; lock.unlock() }
    func get(_ i: Int) -> T? { lock.lock(); defer { lock.unlock() }; return slots[i] }
}
