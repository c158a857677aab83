import Testing
import Foundation
import LinearAlgebra
import Support
@testable import Biostatistics

/// rms::calibrate(method = "boot") on the same resamples: the test's bootstrap indices are
/// committed in `calibrate_boot_indices.json`, `tools/biostat/calibrate_boot_reference.R` runs
/// rms's own code on them (`calibrate_boot_ref.json`), and the whole corrected curve must agree
/// to 1e-6. An over-fitted model must show clearly positive optimism.
@Suite struct OptimismCorrectedCalibrationTests {
    static let replicates = 40, seed: UInt64 = 3
    static let names = ["a", "b", "c"]

    static func data() throws -> (x: Matrix, y: [Double]) {
        let t = try Fixtures.table("logit.csv")
        return (try LogisticRegressionTests.design(t, names), try t.numeric("y"))
    }

    /// The committed resamples (1-based, as R indexes) as 0-based row lists.
    static func committedResamples() throws -> [[Int]] {
        let file = try Fixtures.json("calibrate_boot_indices.json")
        let rows = try #require(file["indices"] as? [[Int]], "calibrate_boot_indices.json has no indices")
        return rows.map { $0.map { $0 - 1 } }
    }

    /// Largest |a − b| over two curves of the same, non-zero length (∞ otherwise).
    static func worst(_ a: [Double], _ b: [Double]) -> Double {
        guard a.count == b.count, !a.isEmpty else { return .infinity }
        return zip(a, b).map { abs($0 - $1) }.max()!
    }

    /// The seeded draws are the committed ones (rewrite them with HER2MRI_WRITE_FIXTURES=1, then
    /// rerun the R script); the committed file is what R saw.
    @Test func committedIndicesAreTheSeededDraws() throws {
        let (x, _) = try Self.data()
        let drawn = OptimismCorrectedCalibration.resamples(n: x.rows, replicates: Self.replicates, seed: Self.seed)
        if ProcessInfo.processInfo.environment["HER2MRI_WRITE_FIXTURES"] == "1" {
            let object: [String: Any] = ["seed": Int(Self.seed), "replicates": Self.replicates, "n": x.rows,
                                         "about": "OptimismCorrectedCalibration.resamples(n:replicates:seed:), 1-based row indices of logit.csv",
                                         "indices": drawn.map { $0.map { $0 + 1 } }]
            try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                .write(to: Fixtures.folder.appendingPathComponent("calibrate_boot_indices.json"))
            print("wrote calibrate_boot_indices.json: now run Rscript tools/biostat/calibrate_boot_reference.R fixtures/biostatistics")
        }
        #expect(try Self.committedResamples() == drawn,
                "the generator's draws changed: HER2MRI_WRITE_FIXTURES=1, then rerun tools/biostat/calibrate_boot_reference.R")
    }

    @Test func correctedCurveEqualsRmsCalibrateOnTheSameResamples() throws {
        let (x, y) = try Self.data()
        let ref = try Fixtures.json("calibrate_boot_ref.json")
        let resamples = try Self.committedResamples()
        #expect(resamples.count == Self.replicates && Int(ref.d("B")) == Self.replicates)
        let c = try OptimismCorrectedCalibration(predictors: x, outcome: y, names: Self.names, resamples: resamples)
        #expect(c.replicates == Self.replicates && c.failed == 0)
        for (key, ours) in [("predy", c.predicted), ("apparent", c.apparent), ("optimism", c.optimism), ("corrected", c.corrected)] {
            let theirs = ref.a(key)
            #expect(theirs.count == 50, "\(key)")
            #expect(Self.worst(ours, theirs) <= 1e-6, "\(key): max |Δ| \(Self.worst(ours, theirs))")
        }
        // The seeded initialiser draws the same resamples.
        let seeded = try OptimismCorrectedCalibration(predictors: x, outcome: y, names: Self.names,
                                                      replicates: Self.replicates, seed: Self.seed)
        #expect(seeded.corrected == c.corrected)
    }

    /// The deterministic parts also equal the fixture made with R's own draws (calibrate_ref.json).
    @Test func apparentCurveEqualsRmsCalibrate() throws {
        let (x, y) = try Self.data()
        let ref = try Fixtures.json("calibrate_ref.json")
        let c = try OptimismCorrectedCalibration(predictors: x, outcome: y, names: Self.names, replicates: 5, seed: 3)
        #expect(Self.worst(c.predicted, ref.a("predy")) < 1e-6)
        #expect(Self.worst(c.apparent, ref.a("apparent")) < 1e-6)
        for g in 0..<50 { #expect(abs(c.corrected[g] - (c.apparent[g] - c.optimism[g])) < 1e-15) }
    }

    /// The broken variants the old check (|mean |optimism| − R's| < 0.01, R's being 0.0098)
    /// passed: no optimism at all, and train and test swapped (optimism of the wrong sign).
    /// Both fail the comparison on the same resamples.
    @Test func brokenVariantsPassedTheOldCheckAndFailTheNewOne() throws {
        let (x, y) = try Self.data()
        let rDraws = try Fixtures.json("calibrate_ref.json").a("optimism")
        let ref = try Fixtures.json("calibrate_boot_ref.json")
        let c = try OptimismCorrectedCalibration(predictors: x, outcome: y, names: Self.names,
                                                 resamples: try Self.committedResamples())
        func meanAbs(_ v: [Double]) -> Double { v.map(abs).reduce(0, +) / Double(v.count) }
        func oldCheck(_ optimism: [Double]) -> Bool { abs(meanAbs(optimism) - meanAbs(rDraws)) < 0.01 }
        func newCheck(_ optimism: [Double]) -> Bool {
            Self.worst(zip(c.apparent, optimism).map { $0 - $1 }, ref.a("corrected")) <= 1e-6
        }
        let zero = [Double](repeating: 0, count: 50), swapped = c.optimism.map { -$0 }
        #expect(oldCheck(zero) && oldCheck(swapped))
        #expect(!newCheck(zero) && !newCheck(swapped))
        #expect(newCheck(c.optimism))
    }

    /// Twenty noise predictors beside one real one (n = 150): the apparent curve hugs the
    /// diagonal, the bootstrap sees the over-fit — optimism rises with the predicted
    /// probability (negative at the low end, positive at the high end), so the corrected curve
    /// is clearly flatter than the apparent one.
    @Test func overFittedModelShowsClearlyPositiveOptimism() throws {
        var g = SplitMix64(seed: 11)
        let n = 150, p = 21
        var x = Matrix(rows: n, columns: p)
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            for j in 0..<p { x[i, j] = g.normal() }
            y[i] = g.unit() < 1 / (1 + exp(-1.2 * x[i, 0])) ? 1 : 0
        }
        let names = (0..<p).map { "x\($0)" }
        let c = try OptimismCorrectedCalibration(predictors: x, outcome: y, names: names, replicates: 25, seed: 4)
        #expect(c.replicates >= 20)
        let slope = Self.slope(c.optimism, on: c.predicted)
        print("over-fitted model: optimism slope \(slope), optimism at the ends \(c.optimism.first!) … \(c.optimism.last!)")
        #expect(slope > 0.15, "optimism slope \(slope)")
        #expect(c.optimism.first! < -0.02 && c.optimism.last! > 0.02)
        // The well-specified three-predictor model of logit.csv (n = 300) is far less optimistic.
        let (lx, ly) = try Self.data()
        let honest = try OptimismCorrectedCalibration(predictors: lx, outcome: ly, names: Self.names,
                                                      resamples: try Self.committedResamples())
        let honestSlope = Self.slope(honest.optimism, on: honest.predicted)
        #expect(honestSlope < slope / 2, "optimism slope \(honestSlope) of the honest model vs \(slope)")
    }

    /// Least-squares slope of v on t over the finite points.
    static func slope(_ v: [Double], on t: [Double]) -> Double {
        let pts = zip(t, v).filter { $0.1.isFinite }
        let mt = pts.map(\.0).reduce(0, +) / Double(pts.count), mv = pts.map(\.1).reduce(0, +) / Double(pts.count)
        let sxy = pts.reduce(0) { $0 + ($1.0 - mt) * ($1.1 - mv) }, sxx = pts.reduce(0) { $0 + ($1.0 - mt) * ($1.0 - mt) }
        return sxy / sxx
    }

    @Test func badResamplesAreRefused() throws {
        let (x, y) = try Self.data()
        #expect(throws: BiostatisticsError.self) {
            try OptimismCorrectedCalibration(predictors: x, outcome: y, names: Self.names, resamples: [[0, 1, 2]]) }
        #expect(throws: BiostatisticsError.self) {
            try OptimismCorrectedCalibration(predictors: x, outcome: y, names: Self.names, resamples: []) }
        #expect(throws: BiostatisticsError.self) {
            try OptimismCorrectedCalibration(predictors: x, outcome: y, names: Self.names, replicates: 0) }
    }
}
