import Testing
import Support
import Foundation
import LinearAlgebra
@testable import Biostatistics

@Suite struct CalibrationTests {
    @Test func valProbAndHosmerLemeshowEqualR() throws {
        let t = try Fixtures.table("calibration.csv"), ref = try Fixtures.json("calibration_ref.json")
        let c = try CalibrationAnalysis(probabilities: try t.numeric("p"), outcome: try t.numeric("y"))
        #expect(close(c.brier, ref.d("brier"), 1e-9))
        #expect(close(c.intercept, ref.d("intercept"), 1e-6), "intercept \(c.intercept) vs \(ref.d("intercept"))")
        #expect(close(c.slope, ref.d("slope"), 1e-6), "slope \(c.slope) vs \(ref.d("slope"))")
        #expect(close(c.eavg, ref.d("eavg"), 1e-6), "eavg \(c.eavg) vs \(ref.d("eavg"))")
        #expect(close(c.emax, ref.d("emax"), 1e-6), "emax \(c.emax) vs \(ref.d("emax"))")
        #expect(close(c.e90, ref.d("e90"), 1e-6), "e90 \(c.e90) vs \(ref.d("e90"))")
        #expect(close(c.spiegelhalterZ, ref.d("spiegelhalterZ"), 1e-6))
        #expect(close(c.spiegelhalterP, ref.d("spiegelhalterP"), 1e-6))
        let hl = ref.o("hosmerLemeshow")
        #expect(close(c.hosmerLemeshow.chi2, hl.d("chi2"), 1e-9), "HL \(c.hosmerLemeshow.chi2) vs \(hl.d("chi2"))")
        #expect(c.hosmerLemeshow.df == 8)
        #expect(close(c.hosmerLemeshow.p, hl.d("p"), 1e-9))
    }

    @Test func lowessEqualsR() throws {
        let t = try Fixtures.table("calibration.csv"), ref = try Fixtures.json("calibration_ref.json").o("lowess")
        let l = try Lowess(x: try t.numeric("p"), y: try t.numeric("y"), iterations: 0)
        let rx = ref.a("x"), ry = ref.a("y")
        #expect(l.x.count == rx.count)
        for (a, b) in paired(l.x, rx) { #expect(a == b) }
        var worst = 0.0
        for (a, b) in paired(l.y, ry) { worst = max(worst, abs(a - b)) }
        #expect(worst < 1e-12, "lowess worst \(worst)")
    }

    @Test func perfectlyCalibratedDataHaveSlopeNearOne() throws {
        var g = SplitMix64(seed: 5)
        let p = (0..<4000).map { _ in 0.05 + 0.9 * g.unit() }
        let y = p.map { g.unit() < $0 ? 1.0 : 0.0 }
        let c = try CalibrationAnalysis(probabilities: p, outcome: y)
        #expect(abs(c.slope - 1) < 0.15 && abs(c.intercept) < 0.15 && c.eavg < 0.03)
    }

    @Test func badInputIsRefused() {
        #expect(throws: BiostatisticsError.self) { try CalibrationAnalysis(probabilities: [0.2, 1.0, 0.3], outcome: [0, 1, 1]) }
        #expect(throws: BiostatisticsError.self) { try CalibrationAnalysis(probabilities: [0.2, .nan], outcome: [0, 1]) }
        #expect(throws: BiostatisticsError.self) { try CalibrationAnalysis(probabilities: [0.2, 0.3], outcome: [1, 1]) }
        #expect(throws: BiostatisticsError.self) { try CalibrationAnalysis(probabilities: [0.2, 0.3], outcome: [1]) }
    }
}
