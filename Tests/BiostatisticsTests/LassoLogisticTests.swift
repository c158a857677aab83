import Testing
import Foundation
import LinearAlgebra
@testable import Biostatistics

@Suite struct LassoLogisticTests {
    struct Case {
        let x: Matrix, y: [Double], folds: [Int], names: [String], ref: [String: Any]
        init(_ name: String) throws {
            let t = try Fixtures.table(name + ".csv")
            ref = try Fixtures.json(name + "_ref.json")
            names = t.names.filter { $0 != "y" && $0 != "fold" }
            let cols = try names.map { try t.numeric($0) }
            x = Matrix(rows: t.rowCount, columns: names.count, elements: (0..<t.rowCount).flatMap { i in cols.map { $0[i] } })
            y = try t.numeric("y")
            folds = try t.numeric("fold").map { Int($0) }
        }
        var settings: LassoLogisticSettings { var s = LassoLogisticSettings(); s.threshold = ref.d("thresh"); return s }
    }

    @Test(arguments: ["lasso_tall", "lasso_wide", "lasso_hard"])
    func pathEqualsGlmnet(_ name: String) throws {
        let c = try Case(name)
        let path = try LassoLogistic(settings: c.settings).fit(x: c.x, outcome: c.y)
        let lam = c.ref.a("lambda")
        #expect(path.lambdas.count == lam.count, "\(name): path length \(path.lambdas.count) vs \(lam.count)")
        for (a, b) in zip(path.lambdas, lam) { #expect(close(a, b, 1e-10), "\(name) lambda") }
        let a0 = c.ref.a("a0"), beta = c.ref["beta"] as! [[Double]]   // beta[feature][lambda]
        let tol = name == "lasso_hard" ? 1e-5 : 1e-6
        var worst = 0.0
        for l in 0..<min(path.lambdas.count, lam.count) {
            worst = max(worst, abs(path.intercepts[l] - a0[l]) / max(1, abs(a0[l])))
            for j in 0..<c.names.count { worst = max(worst, abs(path.coefficients[l][j] - beta[j][l]) / max(1, abs(beta[j][l]))) }
        }
        #expect(worst <= tol, "\(name): worst coefficient difference \(worst)")
        let dr = c.ref.a("dev.ratio")
        for (a, b) in zip(path.devianceRatio, dr) { #expect(abs(a - b) < 1e-6) }
        #expect(close(path.nullDeviance, c.ref.d("nulldev"), 1e-10))
        if name == "lasso_hard" {
            // f05 is constant: excluded, coefficient 0 everywhere (glmnet's chkvars).
            #expect(path.constantFeatures == [4])
            #expect(path.coefficients.allSatisfy { $0[4] == 0 })
        }
    }

    @Test(arguments: ["lasso_tall", "lasso_wide", "lasso_hard"])
    func fixedLambdasEqualGlmnet(_ name: String) throws {
        let c = try Case(name)
        let fixed = c.ref.o("fixed")
        var s = c.settings
        s.lambdas = fixed.a("lambda")
        let path = try LassoLogistic(settings: s).fit(x: c.x, outcome: c.y)
        let coef = fixed["coefficients"] as! [[Double]]  // [1 + p][lambda]
        let tol = name == "lasso_hard" ? 1e-5 : 1e-6
        for l in 0..<s.lambdas!.count {
            #expect(close(path.intercepts[l], coef[0][l], tol))
            for j in 0..<c.names.count { #expect(close(path.coefficients[l][j], coef[j + 1][l], tol), "\(name) λ\(l) f\(j)") }
        }
    }

    @Test(arguments: ["lasso_tall", "lasso_wide", "lasso_hard"])
    func crossValidationEqualsCvGlmnet(_ name: String) throws {
        let c = try Case(name)
        let cv = try LassoLogistic(settings: c.settings).crossValidate(x: c.x, outcome: c.y, folds: .given(c.folds))
        let ref = c.ref.o("cv")
        #expect(cv.foldPathLengths.map(Double.init) == ref.a("foldLambdaCounts"), "\(name) fold path lengths")
        let cvm = ref.a("cvm"), cvsd = ref.a("cvsd")
        #expect(cv.cvm.count == cvm.count)
        var worst = 0.0
        for (a, b) in zip(cv.cvm, cvm) { worst = max(worst, abs(a - b) / b) }
        for (a, b) in zip(cv.cvsd, cvsd) { worst = max(worst, abs(a - b) / max(b, 1e-3)) }
        #expect(worst < 1e-6, "\(name) cvm/cvsd worst \(worst)")
        #expect(close(cv.lambdaMin, ref.d("lambda.min"), 1e-10), "\(name) lambda.min")
        #expect(close(cv.lambda1se, ref.d("lambda.1se"), 1e-10), "\(name) lambda.1se")
    }

    @Test func scalingAFeatureLeavesPredictionsUnchanged() throws {
        let c = try Case("lasso_tall")
        var scaled = c.x
        for i in 0..<scaled.rows { scaled[i, 0] = scaled[i, 0] * 1000 + 7 }
        let a = try LassoLogistic().fit(x: c.x, outcome: c.y), b = try LassoLogistic().fit(x: scaled, outcome: c.y)
        #expect(a.lambdas.count == b.lambdas.count)
        let la = a.linearPredictor(c.x, at: a.lambdas[30]), lb = b.linearPredictor(scaled, at: b.lambdas[30])
        for (u, v) in zip(la, lb) { #expect(abs(u - v) < 1e-6) }
    }

    @Test func seededFoldsAreReproducibleAndBalanced() throws {
        let c = try Case("lasso_tall")
        let a = try LassoLogistic().crossValidate(x: c.x, outcome: c.y, folds: .seeded(folds: 5, seed: 9))
        let b = try LassoLogistic().crossValidate(x: c.x, outcome: c.y, folds: .seeded(folds: 5, seed: 9))
        #expect(a.foldIDs == b.foldIDs && a.cvm == b.cvm)
        let sizes = (1...5).map { f in a.foldIDs.filter { $0 == f }.count }
        #expect(sizes.max()! - sizes.min()! <= 1)
    }

    @Test func badInputIsRefused() throws {
        let x = Matrix([[1, 2], [2, 1], [3, 5], [4, 4]])
        #expect(throws: BiostatisticsError.self) { try LassoLogistic().fit(x: x, outcome: [0, 1, 0]) }
        #expect(throws: BiostatisticsError.self) { try LassoLogistic().fit(x: x, outcome: [0, 1, 1, 1]) }  // one negative
        #expect(throws: BiostatisticsError.self) { try LassoLogistic().fit(x: Matrix([[1], [.infinity], [2], [3]]), outcome: [0, 1, 0, 1]) }
        var s = LassoLogisticSettings(); s.alpha = 2
        #expect(throws: BiostatisticsError.self) { try LassoLogistic(settings: s).fit(x: x, outcome: [0, 1, 0, 1]) }
    }
}

@Suite struct LassoUserLambdaTests {
    @Test func crossValidationOnAUserSequenceEqualsCvGlmnet() throws {
        let c = try LassoLogisticTests.Case("lasso_tall")
        let ref = try Fixtures.json("lasso_userlambda_cv_ref.json")
        var s = LassoLogisticSettings(); s.threshold = 1e-20
        s.lambdas = (0..<40).map { exp(log(0.2) + (log(0.005) - log(0.2)) * Double($0) / 39) }
        let cv = try LassoLogistic(settings: s).crossValidate(x: c.x, outcome: c.y, folds: .given(c.folds))
        #expect(cv.path.lambdas.count == 40)
        for (a, b) in zip(cv.path.lambdas, ref.a("lambda")) { #expect(close(a, b, 1e-12)) }
        for (a, b) in zip(cv.cvm, ref.a("cvm")) { #expect(close(a, b, 1e-6)) }
        for (a, b) in zip(cv.cvsd, ref.a("cvsd")) { #expect(close(a, b, 1e-6)) }
        #expect(close(cv.lambdaMin, ref.d("lambda.min"), 1e-12) && close(cv.lambda1se, ref.d("lambda.1se"), 1e-12))
    }
}
