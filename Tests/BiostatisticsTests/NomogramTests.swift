import Testing
import Foundation
import LinearAlgebra
@testable import Biostatistics

@Suite struct NomogramTests {
    @Test func scalesEqualRmsNomogram() throws {
        let t = try Fixtures.table("logit.csv"), ref = try Fixtures.json("logit_ref.json").o("nomogram")
        let names = ["a", "b", "c"]
        let x = try LogisticRegressionTests.design(t, names)
        let model = try LogisticRegression().fit(predictors: x, outcome: try t.numeric("y"), names: names)
        let e = model.estimates
        let nom = try Nomogram(intercept: e[0], coefficients: Array(e.dropFirst()), names: names, data: x)
        for (axis, r) in paired(nom.axes, ref.l("axes")) {
            #expect(axis.name == r["name"] as! String)
            #expect(axis.values == r.a("values"), "\(axis.name) ticks")
            for (p, q) in paired(axis.points, r.a("points")) { #expect(abs(p - q) < 0.01, "\(axis.name) points \(p) vs \(q)") }
        }
        let prob = ref.o("probability")
        let rp = prob.a("probability"), rpts = prob.a("points")
        #expect(nom.probabilityTicks.map(\.probability) == rp)
        for (tick, q) in paired(nom.probabilityTicks, rpts) { #expect(abs(tick.points - q) < 0.01) }
        #expect(nom.totalPointsTicks == ref.o("totalPoints").a("x"))
        // Total points of a subject map back to the model's own probability.
        let row = [50.0, 1.2, 1]
        let total = nom.points(for: row).reduce(0, +)
        #expect(abs(nom.probability(totalPoints: total) - model.probability(row)) < 1e-12)
    }

    @Test func prettyEqualsR() {
        #expect(PrettyTicks.pretty(25.0088, 77.4623, n: 10) == [25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80])
        #expect(PrettyTicks.pretty(0.0019, 5.7272, n: 10) == [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6])
        #expect(PrettyTicks.pretty(0, 1) == [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1])
    }

    @Test func badInputIsRefused() {
        #expect(throws: BiostatisticsError.self) {
            try Nomogram(intercept: 0, coefficients: [0], names: ["a"], data: Matrix([[1], [2]])) }
        #expect(throws: BiostatisticsError.self) {
            try Nomogram(intercept: 0, coefficients: [1, 2], names: ["a"], data: Matrix([[1, 2], [2, 3]])) }
    }
}
