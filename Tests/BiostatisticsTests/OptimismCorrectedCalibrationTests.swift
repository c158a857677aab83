import Testing
import Foundation
@testable import Biostatistics

@Suite struct OptimismCorrectedCalibrationTests {
    @Test func apparentCurveEqualsRmsCalibrateAndOptimismIsOfTheSameSize() throws {
        let t = try Fixtures.table("logit.csv"), ref = try Fixtures.json("calibrate_ref.json")
        let names = ["a", "b", "c"]
        let c = try OptimismCorrectedCalibration(predictors: try LogisticRegressionTests.design(t, names),
                                                 outcome: try t.numeric("y"), names: names, replicates: 200, seed: 3)
        // Deterministic parts: the grid and the apparent curve.
        for (a, b) in zip(c.predicted, ref.a("predy")) { #expect(abs(a - b) < 1e-6) }
        for (a, b) in zip(c.apparent, ref.a("apparent")) { #expect(abs(a - b) < 1e-6, "apparent \(a) vs \(b)") }
        // Random parts: R's draws cannot be reproduced; the optimism must be of the same size.
        let ro = ref.a("optimism")
        let meanAbs = c.optimism.map(abs).reduce(0, +) / 50, refMeanAbs = ro.map(abs).reduce(0, +) / 50
        #expect(abs(meanAbs - refMeanAbs) < 0.01, "mean |optimism| \(meanAbs) vs R \(refMeanAbs)")
        for g in 0..<50 { #expect(abs(c.corrected[g] - (c.apparent[g] - c.optimism[g])) < 1e-15) }
        #expect(c.replicates + c.failed == 200)
        let again = try OptimismCorrectedCalibration(predictors: try LogisticRegressionTests.design(t, names),
                                                     outcome: try t.numeric("y"), names: names, replicates: 20, seed: 3)
        let again2 = try OptimismCorrectedCalibration(predictors: try LogisticRegressionTests.design(t, names),
                                                      outcome: try t.numeric("y"), names: names, replicates: 20, seed: 3)
        #expect(again.corrected == again2.corrected)
    }
}
