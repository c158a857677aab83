import Testing
import Foundation
@testable import Biostatistics

@Suite struct DistributionsTests {
    let ref: [String: Any]
    init() throws { ref = try Fixtures.json("distributions_ref.json") }

    func rel(_ a: Double, _ b: Double) -> Double { a == b ? 0 : abs(a - b) / abs(b) }

    @Test func normalEqualsR() {
        let q = ref.o("qnorm")
        for (p, v) in zip(q.a("p"), q.a("q")) { #expect(rel(Distributions.normalQuantile(p), v) < 1e-14, "qnorm(\(p))") }
        let c = ref.o("pnorm")
        // (pnorm(-38) is subnormal; JSON parsing loses it, so tails below 1e-300 are skipped.)
        for (x, v) in zip(c.a("x"), c.a("p")) where v > 1e-300 { #expect(rel(Distributions.normalCDF(x), v) < 1e-13, "pnorm(\(x))") }
    }

    @Test func tChiSquareAndFEqualR() {
        let t = ref.o("pt")
        for k in 0..<4 {
            #expect(rel(Distributions.studentTTwoSidedP(t.a("t")[k], df: t.a("df")[k]), t.a("upper2")[k]) < 1e-12, "pt \(k)")
        }
        let c = ref.o("pchisq")
        for k in 0..<5 { #expect(rel(Distributions.chiSquareUpper(c.a("x")[k], df: c.a("df")[k]), c.a("upper")[k]) < 1e-12, "pchisq \(k)") }
        let f = ref.o("pf")
        for k in 0..<4 { #expect(rel(Distributions.fUpper(f.a("x")[k], f.a("d1")[k], f.a("d2")[k]), f.a("upper")[k]) < 1e-12, "pf \(k)") }
        let q = ref.o("qf")
        // R's qf itself iterates only to about 1e-12.
        for k in 0..<4 { #expect(rel(Distributions.fQuantile(q.a("p")[k], q.a("d1")[k], q.a("d2")[k]), q.a("q")[k]) < 1e-10, "qf \(k)") }
    }
}
