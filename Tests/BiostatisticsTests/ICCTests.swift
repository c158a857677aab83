import Testing
import Foundation
import LinearAlgebra
@testable import Biostatistics

@Suite struct ICCTests {
    func check(_ r: ICCResult, _ ref: [String: Any], _ what: String) {
        for (v, key) in [(r.icc11, "icc11"), (r.icc21, "icc21"), (r.icc31, "icc31")] {
            #expect(close(v, ref.d(key), 1e-9), "\(what) \(key) \(v) vs \(ref.d(key))")
        }
        for (ci, key) in [(r.ci11, "ci11"), (r.ci21, "ci21"), (r.ci31, "ci31")] {
            let b = ref.a(key)
            guard b.count == 2 else { Issue.record("\(what) \(key): \(b.count) bounds in the reference"); continue }
            #expect(close(ci.lower, b[0], 1e-8) && close(ci.upper, b[1], 1e-8), "\(what) \(key) \(ci) vs \(b)")
        }
    }

    @Test func twoRatersEqualPsychICC() throws {
        let t = try Fixtures.table("icc.csv"), ref = try Fixtures.json("icc_ref.json")
        let names = (1...5).map { "feat\($0)" }
        let a = try names.map { try t.numeric($0) }, b = try names.map { try t.numeric($0 + "_r2") }
        let n = t.rowCount
        let first = Matrix(rows: n, columns: 5, elements: (0..<n).flatMap { i in a.map { $0[i] } })
        let second = Matrix(rows: n, columns: 5, elements: (0..<n).flatMap { i in b.map { $0[i] } })
        let results = try IntraclassCorrelation().fit(first: first, second: second)
        for (r, f) in paired(results, ref.l("features")) {
            check(r, f, f["name"] as! String)
            #expect(close(r.f, f.d("F"), 1e-9))
            #expect(abs(r.p - f.d("p")) <= 1e-6 * max(f.d("p"), 1e-12))
        }
        // pingouin's point estimates agree too.
        for (r, f) in paired(results, try Fixtures.json("icc_pingouin.json").l("features")) {
            #expect(close(r.icc11, f.d("icc11"), 1e-9) && close(r.icc21, f.d("icc21"), 1e-9) && close(r.icc31, f.d("icc31"), 1e-9))
        }
    }

    @Test func threeRatersEqualPsychICC() throws {
        let t = try Fixtures.table("icc3.csv"), ref = try Fixtures.json("icc_ref.json").o("threeRaters")
        let cols = try ["r1", "r2", "r3"].map { try t.numeric($0) }
        let m = Matrix(rows: t.rowCount, columns: 3, elements: (0..<t.rowCount).flatMap { i in cols.map { $0[i] } })
        check(try IntraclassCorrelation().fit(ratings: m), ref, "three raters")
    }

    @Test func identicalRatingsGiveOneAndConstantFeatureIsDiagnosed() throws {
        let m = Matrix([[1, 1], [2, 2], [5, 5], [3, 3]])
        let r = try IntraclassCorrelation().fit(ratings: m)
        #expect(r.icc21 == 1 && r.icc31 == 1 && r.icc11 == 1)
        let c = try IntraclassCorrelation().fit(ratings: Matrix([[2, 2], [2, 2], [2, 2]]))
        #expect(c.icc21.isNaN && !c.diagnostics.isEmpty)
    }

    @Test func badInputIsRefused() {
        #expect(throws: BiostatisticsError.self) { try IntraclassCorrelation().fit(ratings: Matrix([[1, 2]])) }
        #expect(throws: BiostatisticsError.self) { try IntraclassCorrelation().fit(ratings: Matrix([[1, .nan], [2, 3]])) }
        #expect(throws: BiostatisticsError.self) {
            try IntraclassCorrelation().fit(first: Matrix([[1], [2]]), second: Matrix([[1], [2], [3]])) }
    }
}
