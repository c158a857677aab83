import Testing
import Foundation
import LinearAlgebra
@testable import Biostatistics

@Suite struct LogisticRegressionTests {
    static func design(_ t: DataTable, _ names: [String]) throws -> Matrix {
        let cols = try names.map { try t.numeric($0) }
        return Matrix(rows: t.rowCount, columns: names.count,
                      elements: (0..<t.rowCount).flatMap { i in cols.map { $0[i] } })
    }

    @Test func coefficientsSEAndPEqualRGlm() throws {
        let t = try Fixtures.table("logit.csv"), ref = try Fixtures.json("logit_ref.json")
        let m = try LogisticRegression().fit(predictors: try Self.design(t, ["a", "b", "c"]),
                                             outcome: try t.numeric("y"), names: ["a", "b", "c"])
        #expect(m.converged)
        for (c, r) in paired(m.coefficients, ref.l("coefficients")) {
            #expect(c.name == r["name"] as! String)
            #expect(close(c.estimate, r.d("estimate"), 1e-6), "\(c.name) estimate \(c.estimate)")
            #expect(close(c.standardError, r.d("se"), 1e-6), "\(c.name) se")
            #expect(close(c.z, r.d("z"), 1e-6))
            #expect(abs(c.p - r.d("p")) <= 1e-6 * max(r.d("p"), 1e-6), "\(c.name) p")
            #expect(close(c.oddsRatio, r.d("oddsRatio"), 1e-6))
            let ci = r.a("ci95")
            try #require(ci.count == 2, "\(c.name) ci95")
            #expect(close(c.oddsRatioCI.lower, ci[0], 1e-6) && close(c.oddsRatioCI.upper, ci[1], 1e-6))
        }
        let cov = try #require(ref["covariance"] as? [[Double]])
        try #require(cov.count == 4 && cov.allSatisfy { $0.count == 4 }, "covariance is 4 × 4")
        for i in 0..<4 { for j in 0..<4 { #expect(close(m.covariance[i, j], cov[i][j], 1e-6)) } }
        #expect(close(m.deviance, ref.d("deviance"), 1e-10))
        #expect(close(m.nullDeviance, ref.d("nullDeviance"), 1e-10))
        #expect(close(m.aic, ref.d("aic"), 1e-10))
        let lr = ref.o("lrTest")
        #expect(close(m.likelihoodRatio.chi2, lr.d("chi2"), 1e-9) && m.likelihoodRatio.df == 3)
        #expect(abs(m.likelihoodRatio.p - lr.d("p")) <= 1e-9 * max(lr.d("p"), 1e-6))
    }

    @Test func agreesWithStatsmodels() throws {
        let t = try Fixtures.table("logit.csv"), ref = try Fixtures.json("python_crosscheck.json").o("logit")
        let m = try LogisticRegression().fit(predictors: try Self.design(t, ["a", "b", "c"]),
                                             outcome: try t.numeric("y"), names: ["a", "b", "c"])
        for (c, v) in paired(m.coefficients, ref.a("params")) { #expect(close(c.estimate, v, 1e-7)) }
        for (c, v) in paired(m.coefficients, ref.a("bse")) { #expect(close(c.standardError, v, 1e-6)) }
        #expect(close(m.aic, ref.d("aic"), 1e-9))
    }

    @Test func perfectSeparationIsAnError() throws {
        let t = try Fixtures.table("logit_separated.csv")
        #expect(throws: BiostatisticsError.self) {
            try LogisticRegression().fit(predictors: try Self.design(t, ["x"]), outcome: try t.numeric("y"), names: ["x"])
        }
        do {
            _ = try LogisticRegression().fit(predictors: try Self.design(t, ["x"]), outcome: try t.numeric("y"), names: ["x"])
        } catch let e as BiostatisticsError {
            guard case .perfectSeparation = e else { Issue.record("expected separation, got \(e)"); return }
        }
    }

    @Test func quasiCompleteSeparationIsAnError() throws {
        // x = 1 only among positives; x = 0 has both classes (glm "converges" to a huge β).
        let x: [Double] = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]
        let z: [Double] = [0.3, -1.2, 0.8, 0.1, 1.5, -0.4, 0.9, -1.1, 0.2, 0.7, -0.6, 1.3]
        let y: [Double] = [1, 1, 1, 1, 1, 0, 1, 0, 0, 1, 0, 0]
        let m = Matrix(rows: 12, columns: 2, elements: (0..<12).flatMap { [x[$0], z[$0]] })
        do {
            _ = try LogisticRegression().fit(predictors: m, outcome: y, names: ["x", "z"])
            Issue.record("expected a separation error")
        } catch let e as BiostatisticsError {
            guard case .perfectSeparation = e else { Issue.record("expected separation, got \(e)"); return }
        }
    }

    @Test func singularDesignsAreErrorsNamingTheColumn() throws {
        let t = try Fixtures.table("logit.csv")
        let a = try t.numeric("a"), b = try t.numeric("b"), y = try t.numeric("y")
        let collinear = Matrix(rows: a.count, columns: 3, elements: (0..<a.count).flatMap { [a[$0], b[$0], 2 * a[$0] - b[$0]] })
        #expect(throws: BiostatisticsError.singularDesign(detail: "\"ab\" is a linear combination of the columns before it")) {
            try LogisticRegression().fit(predictors: collinear, outcome: y, names: ["a", "b", "ab"])
        }
        let constant = Matrix(rows: a.count, columns: 2, elements: (0..<a.count).flatMap { [a[$0], 3.0] })
        #expect(throws: BiostatisticsError.singularDesign(detail: "predictor \"k\" is constant")) {
            try LogisticRegression().fit(predictors: constant, outcome: y, names: ["a", "k"])
        }
    }

    @Test func badInputIsRefused() {
        let x = Matrix([[1], [2], [3], [4]])
        #expect(throws: BiostatisticsError.self) { try LogisticRegression().fit(predictors: x, outcome: [0, 1, 0], names: ["x"]) }
        #expect(throws: BiostatisticsError.self) { try LogisticRegression().fit(predictors: x, outcome: [1, 1, 1, 1], names: ["x"]) }
        #expect(throws: BiostatisticsError.self) {
            try LogisticRegression().fit(predictors: Matrix([[1], [.nan], [3], [4]]), outcome: [0, 1, 0, 1], names: ["x"]) }
    }
}
