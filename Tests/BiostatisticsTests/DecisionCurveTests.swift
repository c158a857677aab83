import Testing
import Foundation
@testable import Biostatistics

@Suite struct DecisionCurveTests {
    @Test func netBenefitEqualsDcurves() throws {
        let t = try Fixtures.table("calibration.csv"), ref = try Fixtures.json("dca_ref.json")
        let d = try DecisionCurve(probabilities: try t.numeric("p"), outcome: try t.numeric("y"))
        #expect(d.thresholds == ref.a("thresholds"))
        let nb = ref.o("netBenefit")
        for (a, b) in paired(d.model, nb.a("model")) { #expect(abs(a - b) <= 1e-9) }
        for (a, b) in paired(d.all, nb.a("all")) { #expect(abs(a - b) <= 1e-9) }
        for (a, b) in paired(d.none, nb.a("none")) { #expect(abs(a - b) <= 1e-9) }
        for (a, b) in paired(d.interventionsAvoidedPer100, ref.o("netInterventionsAvoided").a("model")) {
            #expect(abs(a - 100 * b) <= 1e-7)
        }
    }

    @Test func perfectModelHasNetBenefitEqualToPrevalence() throws {
        let y: [Double] = [0, 0, 1, 1, 0, 1]
        let d = try DecisionCurve(probabilities: y.map { $0 * 0.98 + 0.005 }, outcome: y)
        #expect(d.model.dropLast().allSatisfy { abs($0 - 0.5) < 1e-12 })
    }

    @Test func badInputIsRefused() {
        #expect(throws: BiostatisticsError.self) { try DecisionCurve(probabilities: [0.2, 1.5], outcome: [0, 1]) }
        #expect(throws: BiostatisticsError.self) { try DecisionCurve(probabilities: [], outcome: []) }
        var s = DecisionCurveSettings(); s.thresholds = [0, 0.5]
        #expect(throws: BiostatisticsError.self) { try DecisionCurve(probabilities: [0.2, 0.5], outcome: [0, 1], settings: s) }
    }
}
