import Testing
import Foundation
import LinearAlgebra
@testable import Biostatistics

/// Firth's penalised likelihood against R's brglm2 (`tools/biostat/make_firth_fixture.R`).
@Suite struct FirthLogisticRegressionTests {
    func check(_ csv: String, _ key: String, _ names: [String]) throws {
        let t = try Fixtures.table(csv), ref = try Fixtures.json("firth_ref.json").o(key)
        let m = try FirthLogisticRegression().fit(predictors: try LogisticRegressionTests.design(t, names),
                                                  outcome: try t.numeric("y"), names: names)
        #expect(m.converged, "\(key): converged")
        for (c, v) in paired(m.coefficients, ref.a("estimate")) { #expect(close(c.estimate, v, 1e-7), "\(key) \(c.name) \(c.estimate) vs \(v)") }
        for (c, v) in paired(m.coefficients, ref.a("se")) { #expect(close(c.standardError, v, 1e-6), "\(key) \(c.name) se") }
        let cov = try #require(ref["covariance"] as? [[Double]])
        try #require(cov.count == names.count + 1, "\(key) covariance size")
        for i in cov.indices { for j in cov.indices { #expect(close(m.covariance[i, j], cov[i][j], 1e-6), "\(key) cov \(i),\(j)") } }
        #expect(close(m.deviance, ref.d("deviance"), 1e-8), "\(key) deviance")
    }

    @Test func completeSeparationEqualsBrglm2() throws { try check("logit_separated.csv", "separated", ["x"]) }

    @Test func quasiSeparationWithFourPredictorsEqualsBrglm2() throws {
        // Maximum likelihood refuses this data set (its estimates diverge); Firth's are finite.
        let t = try Fixtures.table("firth_quasi.csv"), names = ["score", "size", "age", "nodes"]
        #expect(throws: BiostatisticsError.self) {
            try LogisticRegression().fit(predictors: try LogisticRegressionTests.design(t, names),
                                         outcome: try t.numeric("y"), names: names)
        }
        try check("firth_quasi.csv", "quasi", names)
    }

    @Test func withoutSeparationEqualsBrglm2AndShrinksTowardZero() throws {
        try check("logit.csv", "ordinary", ["a", "b", "c"])
        // Bias reduction pulls every slope toward zero relative to maximum likelihood.
        let t = try Fixtures.table("logit.csv"), names = ["a", "b", "c"]
        let x = try LogisticRegressionTests.design(t, names), y = try t.numeric("y")
        let ml = try LogisticRegression().fit(predictors: x, outcome: y, names: names)
        let firth = try FirthLogisticRegression().fit(predictors: x, outcome: y, names: names)
        for j in 1...3 { #expect(abs(firth.coefficients[j].estimate) < abs(ml.coefficients[j].estimate)) }
    }
}
