import Testing
import Foundation
import LinearAlgebra
import Support
@testable import Biostatistics

/// `--lambda L` asks for the solution at L: compared with glmnet's coef(fit, s, exact = TRUE) at
/// thresh 1e-20 (fixtures/biostatistics/lasso_exact_ref.json, tools/biostat/make_lasso_exact.R).
@Suite struct LassoExactTests {
    struct Reference {
        let s: [Double], exact: [[Double]], interpolated: [[Double]]   // [1 + p][s]
        init(_ name: String) throws {
            let r = try Fixtures.json("lasso_exact_ref.json").o(name)
            s = r.a("s")
            exact = r["exact"] as! [[Double]]
            interpolated = r["interpolated"] as! [[Double]]
        }
        /// Largest |a − b| / max(1, |b|) between our (intercept, β) and column k of `table`.
        func worst(_ c: LassoCoefficients, _ table: [[Double]], _ k: Int) -> Double {
            var w = abs(c.intercept - table[0][k]) / max(1, abs(table[0][k]))
            for j in c.beta.indices { w = max(w, abs(c.beta[j] - table[j + 1][k]) / max(1, abs(table[j + 1][k]))) }
            return w
        }
    }

    @Test(arguments: ["lasso_tall", "lasso_wide"])
    func solutionsEqualGlmnetExact(_ name: String) throws {
        let c = try LassoLogisticTests.Case(name)
        let ref = try Reference(name)
        #expect(ref.s.count == 6 && ref.exact.count == c.names.count + 1)
        var s = LassoLogisticSettings(); s.threshold = 1e-20
        let lasso = LassoLogistic(settings: s)
        let path = try lasso.fit(x: c.x, outcome: c.y)
        // Asked in a scrambled order: answers come back in that order.
        let order = [3, 0, 5, 1, 4, 2]
        let sol = try lasso.solutions(x: c.x, outcome: c.y, path: path, at: order.map { ref.s[$0] })
        #expect(sol.count == order.count)
        for (c, k) in zip(sol, order) {
            #expect(c.lambda == ref.s[k])
            let w = ref.worst(c, ref.exact, k)
            #expect(w <= 1e-6, "\(name) λ = \(ref.s[k]): worst difference from glmnet exact = TRUE \(w)")
        }
    }

    /// The variant the old check passed: interpolating the path is glmnet's exact = FALSE, which
    /// the reference reproduces, and it is measurably not the solution.
    @Test(arguments: ["lasso_tall", "lasso_wide"])
    func interpolationIsGlmnetExactFalseAndNotTheSolution(_ name: String) throws {
        let c = try LassoLogisticTests.Case(name)
        let ref = try Reference(name)
        var s = LassoLogisticSettings(); s.threshold = 1e-20
        let path = try LassoLogistic(settings: s).fit(x: c.x, outcome: c.y)
        var farthest = 0.0
        for k in ref.s.indices {
            let i = path.coefficients(at: ref.s[k])
            let asSolution = LassoCoefficients(lambda: ref.s[k], intercept: i.intercept, beta: i.beta)
            #expect(ref.worst(asSolution, ref.interpolated, k) <= 1e-6, "\(name): interpolation vs glmnet exact = FALSE")
            farthest = max(farthest, ref.worst(asSolution, ref.exact, k))
        }
        #expect(farthest > 1e-5, "\(name): interpolation would pass the 1e-6 check (\(farthest))")
    }

    @Test func statsCommandReportsTheSolution() throws {
        var s = LassoLogisticSettings(); s.threshold = 1e-20
        let ref = try Reference("lasso_tall")
        let k = try #require(ref.s.firstIndex(of: 0.05))
        let names = try LassoLogisticTests.Case("lasso_tall").names
        for interpolate in [false, true] {
            let out = try StatsReport.lasso(try Fixtures.table("lasso_tall.csv"), label: "y", foldColumn: "fold",
                                            folds: 10, seed: 1, lambdas: [0.05], interpolate: interpolate, settings: s)
            let j = try JSONSerialization.jsonObject(with: Data(out.json.serialized().utf8)) as! [String: Any]
            let at = try #require((j.o("coefficients")["at"] as? [[String: Any]])?.first)
            let coef = at.o("coefficients")
            let table = interpolate ? ref.interpolated : ref.exact
            let reported = LassoCoefficients(lambda: 0.05, intercept: coef.d("(Intercept)"),
                                             beta: names.map { coef[$0] == nil ? 0 : coef.d($0) })
            #expect(ref.worst(reported, table, k) <= 1e-6, "interpolate = \(interpolate)")
        }
    }

    @Test func badLambdaIsRefused() throws {
        let c = try LassoLogisticTests.Case("lasso_tall")
        let path = try LassoLogistic().fit(x: c.x, outcome: c.y)
        #expect(throws: BiostatisticsError.self) { try LassoLogistic().solutions(x: c.x, outcome: c.y, path: path, at: [-1]) }
        #expect(throws: BiostatisticsError.self) { try LassoLogistic().solutions(x: c.x, outcome: c.y, path: path, at: [.nan]) }
        #expect(try LassoLogistic().solutions(x: c.x, outcome: c.y, path: path, at: []).isEmpty)
    }
}

/// The fused coordinate-descent kernels against their plain twins.
@Suite struct LassoKernelsTests {
    @Test(arguments: [0, 1, 7, 8, 15, 16, 33, 1080])
    func kernelsEqualTheirPlainLoops(_ n: Int) {
        var rng = SplitMix64(seed: UInt64(n) + 5)
        let x = (0..<n).map { _ in rng.normal() }, r = (0..<n).map { _ in rng.normal() }
        let v = (0..<n).map { _ in rng.unit() * 0.25 }
        x.withUnsafeBufferPointer { xp in r.withUnsafeBufferPointer { rp in v.withUnsafeBufferPointer { vp in
            let a = xp.baseAddress ?? UnsafePointer(bitPattern: 8)!, b = rp.baseAddress ?? UnsafePointer(bitPattern: 8)!
            let w = vp.baseAddress ?? UnsafePointer(bitPattern: 8)!
            let scale = max(1, Double(n))
            #expect(abs(LassoKernels.dot(n, a, b) - LassoKernels.dotReference(n, a, b)) <= 1e-13 * scale)
            let single = x.map(Float.init)
            single.withUnsafeBufferPointer { sp in
                let f = sp.baseAddress ?? UnsafePointer(bitPattern: 8)!
                #expect(abs(LassoKernels.dot(n, b, f) - LassoKernels.dotReference(n, b, f)) <= 1e-13 * scale)
            }
            let f = LassoKernels.dotAndWeightedSquares(n, b, w, a), g = LassoKernels.dotAndWeightedSquaresReference(n, b, w, a)
            #expect(abs(f.g - g.g) <= 1e-13 * scale && abs(f.xv - g.xv) <= 1e-13 * scale)
            var r1 = r, r2 = r, e1 = r, e2 = r
            r1.withUnsafeMutableBufferPointer { LassoKernels.weightedUpdate(n, 0.37, w, a, $0.baseAddress ?? UnsafeMutablePointer(bitPattern: 8)!) }
            r2.withUnsafeMutableBufferPointer { LassoKernels.weightedUpdateReference(n, 0.37, w, a, $0.baseAddress ?? UnsafeMutablePointer(bitPattern: 8)!) }
            e1.withUnsafeMutableBufferPointer { LassoKernels.axpy(n, -1.3, a, $0.baseAddress ?? UnsafeMutablePointer(bitPattern: 8)!) }
            e2.withUnsafeMutableBufferPointer { LassoKernels.axpyReference(n, -1.3, a, $0.baseAddress ?? UnsafeMutablePointer(bitPattern: 8)!) }
            #expect(zip(r1, r2).allSatisfy { abs($0 - $1) <= 1e-15 * max(1, abs($1)) } && r1.count == n)
            #expect(zip(e1, e2).allSatisfy { abs($0 - $1) <= 1e-15 * max(1, abs($1)) } && e1.count == n)
        } } }
    }
}

/// The KKT checks' shortcuts (Cauchy–Schwarz bounds, single-precision columns) change only how
/// many columns are read, never a decision: the path is bit for bit glmnet's way of reading
/// every column in double precision.
@Suite struct LassoKKTScreeningTests {
    @Test func screeningLeavesThePathUnchanged() throws {
        // A wide problem (n < p) where the KKT checks dominate: 150 subjects, 1,500 features.
        var rng = SplitMix64(seed: 77)
        let n = 150, p = 1500
        let x = Matrix(rows: n, columns: p, elements: (0..<(n * p)).map { _ in rng.normal() })
        let y = (0..<n).map { i -> Double in
            let eta = 0.8 * x[i, 0] - 0.6 * x[i, 1] + 0.5 * x[i, 2]
            return rng.unit() < 1 / (1 + exp(-eta)) ? 1 : 0
        }
        var paths = [LassoPath]()
        for screening in [KKTScreening.everyColumn, .single, .boundsThenSingle] {
            var s = LassoLogisticSettings()
            s.kktScreening = screening
            paths.append(try LassoLogistic(settings: s).fit(x: x, outcome: y))
        }
        for other in paths.dropFirst() {
            #expect(other.lambdas == paths[0].lambdas && other.passes == paths[0].passes)
            #expect(other.intercepts == paths[0].intercepts && other.coefficients == paths[0].coefficients)
        }
        #expect(paths[0].lambdas.count > 20)
        #expect(paths[2].kktColumnReads < paths[1].kktColumnReads, "the bounds spare no column: \(paths.map(\.kktColumnReads))")
    }
}
