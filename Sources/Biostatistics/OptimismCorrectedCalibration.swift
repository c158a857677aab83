import Foundation
import Support
import LinearAlgebra

/// The bootstrap optimism-corrected calibration curve of a logistic model, as
/// rms::calibrate(method = "boot") computes it (Harrell, Regression Modeling Strategies,
/// 2nd ed., §10.11; Efron & Tibshirani 1993 for optimism): on a grid `predicted` of 50
/// probabilities from the 5th smallest to the 5th largest fitted value, the apparent curve
/// is the LOWESS (iter = 0) of the outcome on the fitted probabilities read at the grid
/// (`approx(ties = first)`); each bootstrap replicate refits the model on a resample and
/// takes (its curve on the resample) − (its curve on the original data) as optimism; the
/// corrected curve is apparent − mean optimism. Replicates whose refit fails (separation in a
/// resample) are skipped and counted. The draws come from a seeded SplitMix64, not R's RNG.
public struct OptimismCorrectedCalibration: Sendable {
    /// The grid of predicted probabilities.
    public let predicted: [Double]
    /// The apparent smoothed observed probability at each grid point.
    public let apparent: [Double]
    /// Mean optimism at each grid point (NaN where no replicate covered it).
    public let optimism: [Double]
    /// apparent − optimism.
    public let corrected: [Double]
    /// Replicates used, and replicates skipped because the refit failed.
    public let replicates: Int, failed: Int

    /// Fits the logistic model of `outcome` on `predictors` and corrects its calibration curve
    /// with `replicates` bootstrap resamples drawn from a SplitMix64 seeded with `seed`.
    public init(predictors x: Matrix, outcome: [Double], names: [String], replicates: Int = 40, seed: UInt64 = 1) throws {
        guard replicates >= 1 else { throw BiostatisticsError.invalidArgument("need at least one bootstrap replicate") }
        try self.init(predictors: x, outcome: outcome, names: names,
                      resamples: Self.resamples(n: x.rows, replicates: replicates, seed: seed))
    }

    /// The bootstrap resamples the seeded initialiser uses: `replicates` lists of `n` row
    /// indices (0-based) drawn with replacement, in draw order.
    static func resamples(n: Int, replicates: Int, seed: UInt64) -> [[Int]] {
        var rng = SplitMix64(seed: seed)
        return (0..<replicates).map { _ in (0..<n).map { _ in rng.nextIndex(n) } }
    }

    /// The same correction on given resamples (each a list of `n` row indices, 0-based), so a
    /// reference implementation can be run on exactly the same draws.
    init(predictors x: Matrix, outcome: [Double], names: [String], resamples: [[Int]]) throws {
        guard !resamples.isEmpty else { throw BiostatisticsError.invalidArgument("need at least one bootstrap replicate") }
        let n = x.rows
        guard n > 10 else { throw BiostatisticsError.invalidArgument("calibration curve needs more than 10 subjects") }
        guard resamples.allSatisfy({ $0.count == n && $0.allSatisfy { (0..<n).contains($0) } }) else {
            throw BiostatisticsError.invalidArgument("every resample must hold \(n) row indices in 0..<\(n)")
        }
        let estimator = LogisticRegression()
        let model = try estimator.fit(predictors: x, outcome: outcome, names: names)
        let fitted = (0..<n).map { model.probability(x.row($0)) }
        let sorted = fitted.sorted()
        let lo = sorted[4], hi = sorted[n - 5]
        let grid = (0..<50).map { lo + (hi - lo) * Double($0) / 49 }
        let curve: @Sendable ([Double], [Double]) throws -> [Double] = { p, y in
            try Lowess(x: p, y: y, iterations: 0).interpolate(grid, ties: .first)
        }
        let apparent = try curve(fitted, outcome)
        // The replicates are independent: refit them on all cores, then add their optimism in
        // replicate order, so every sum (and digit) equals the one-at-a-time loop's. nil = the
        // refit failed; NaN = a grid point outside that replicate's curves.
        let differences = try ParallelMap.map(resamples) { resample -> [Double]? in
            var bx = Matrix(rows: n, columns: x.columns)
            var by = [Double](repeating: 0, count: n)
            for (i, k) in resample.enumerated() {
                for j in 0..<x.columns { bx[i, j] = x[k, j] }
                by[i] = outcome[k]
            }
            guard let boot = try? estimator.fit(predictors: bx, outcome: by, names: names) else { return nil }
            let train = try curve((0..<n).map { boot.probability(bx.row($0)) }, by)
            let test = try curve((0..<n).map { boot.probability(x.row($0)) }, outcome)
            return (0..<50).map { train[$0].isFinite && test[$0].isFinite ? train[$0] - test[$0] : .nan }
        }
        var sum = [Double](repeating: 0, count: 50), count = [Int](repeating: 0, count: 50)
        var used = 0, failed = 0
        for d in differences {
            guard let d else { failed += 1; continue }
            for g in 0..<50 where !d[g].isNaN {
                sum[g] += d[g]
                count[g] += 1
            }
            used += 1
        }
        let optimism = (0..<50).map { count[$0] > 0 ? sum[$0] / Double(count[$0]) : .nan }
        predicted = grid
        self.apparent = apparent
        self.optimism = optimism
        corrected = zip(apparent, optimism).map { $0 - $1 }
        self.replicates = used
        self.failed = failed
    }
}
