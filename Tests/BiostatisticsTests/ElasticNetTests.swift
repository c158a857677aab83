import Testing
import Foundation
@testable import Biostatistics

@Suite struct ElasticNetTests {
    @Test func alphaHalfEqualsGlmnet() throws {
        let c = try LassoLogisticTests.Case("lasso_tall")
        let ref = try Fixtures.json("elasticnet_ref.json")
        var s = LassoLogisticSettings(); s.alpha = 0.5; s.threshold = 1e-20
        let path = try LassoLogistic(settings: s).fit(x: c.x, outcome: c.y)
        let lam = ref.a("lambda"), a0 = ref.a("a0"), beta = ref["beta"] as! [[Double]]
        #expect(path.lambdas.count == lam.count)
        var worst = 0.0
        for l in 0..<min(lam.count, path.lambdas.count) {
            worst = max(worst, abs(path.lambdas[l] - lam[l]) / lam[l], abs(path.intercepts[l] - a0[l]))
            for j in 0..<c.names.count { worst = max(worst, abs(path.coefficients[l][j] - beta[j][l])) }
        }
        #expect(worst < 1e-6, "elastic net worst \(worst)")
    }
}
