import Testing
import Foundation
@testable import Biostatistics

@Suite struct GroupComparisonTests {
    let t: DataTable
    let ref: [String: Any]
    init() throws { t = try Fixtures.table("groups.csv"); ref = try Fixtures.json("groups_ref.json") }

    func split(_ column: String) throws -> ([Double], [Double]) {
        let g = try t.numeric("group"), v = try t.numeric(column)
        return (zip(v, g).filter { $0.1 == 1 }.map(\.0), zip(v, g).filter { $0.1 == 0 }.map(\.0))
    }

    @Test func welchEqualsR() throws {
        let (a, b) = try split("value")
        let r = try GroupComparison.welchT(a, b), w = ref.o("welch")
        #expect(close(r.t, w.d("t"), 1e-10) && close(r.df, w.d("df"), 1e-10))
        #expect(abs(r.p - w.d("p")) < 1e-10)
    }

    @Test func mannWhitneyWithTiesEqualsR() throws {
        let (a, b) = try split("value")
        let r = try GroupComparison.mannWhitney(a, b), w = ref.o("mannWhitney")
        #expect(r.w == w.d("w"))
        #expect(abs(r.p - w.d("p")) < 1e-10)
    }

    @Test func chiSquareAndFisherEqualR() throws {
        for key in ["chisq2xk", "chisq2x2"] {
            let c = ref.o(key)
            let table = (c["table"] as! [[Double]])
            let r = try GroupComparison.chiSquare(table)
            #expect(close(r.chi2, c.d("chi2"), 1e-10) && r.df == Int(c.d("df")))
            #expect(abs(r.p - c.d("p")) < 1e-10)
            let fisher = ref.o(key == "chisq2xk" ? "fisher2xk" : "fisher2x2").d("p")
            #expect(abs(try GroupComparison.fisherExact(table) - fisher) < 1e-9)
        }
        let y = try GroupComparison.chiSquare(ref.o("chisq2x2")["table"] as! [[Double]], yates: true)
        #expect(close(y.chi2, ref.o("chisq2x2Yates").d("chi2"), 1e-10) && abs(y.p - ref.o("chisq2x2Yates").d("p")) < 1e-10)
    }

    @Test func badInputIsRefused() {
        #expect(throws: BiostatisticsError.self) { try GroupComparison.welchT([1], [2, 3]) }
        #expect(throws: BiostatisticsError.self) { try GroupComparison.mannWhitney([.nan], [2, 3]) }
        #expect(throws: BiostatisticsError.self) { try GroupComparison.chiSquare([[1, 2]]) }
        #expect(throws: BiostatisticsError.self) { try GroupComparison.fisherExact([[1, 2], [0.5, 1]]) }
    }
}
