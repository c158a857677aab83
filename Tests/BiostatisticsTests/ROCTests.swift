import Testing
import Support
import Foundation
import LinearAlgebra
@testable import Biostatistics

@Suite struct ROCTests {
    let table: DataTable
    let ref: [String: Any]
    init() throws {
        table = try Fixtures.table("roc.csv")
        ref = try Fixtures.json("roc_ref.json")
    }

    @Test func aucVarianceCIAndYoudenEqualPROC() throws {
        let y = try table.numeric("y")
        for m in ref.l("models") {
            let name = m["score"] as! String
            let r = try ROCAnalysis(scores: try table.numeric(name), labels: y)
            #expect(close(r.auc, m.d("auc"), 1e-9), "\(name) auc")
            #expect(close(r.variance, m.d("variance"), 1e-9), "\(name) variance")
            #expect(close(r.ci.lower, m.a("ci95")[0], 1e-9) && close(r.ci.upper, m.a("ci95")[1], 1e-9), "\(name) ci")
            let yd = m.o("youden")
            #expect(close(r.youden.threshold, yd.d("threshold"), 1e-12), "\(name) youden threshold")
            #expect(close(r.youden.sensitivity, yd.d("sensitivity"), 1e-12))
            #expect(close(r.youden.specificity, yd.d("specificity"), 1e-12))
            #expect(close(r.youden.ppv, yd.d("ppv"), 1e-12) && close(r.youden.npv, yd.d("npv"), 1e-12))
            let curve = m.o("curve")
            let th = curve.a("threshold"), se = curve.a("sensitivity"), sp = curve.a("specificity")
            #expect(r.curve.count == th.count, "\(name) curve length")
            for (k, p) in r.curve.enumerated() where k < th.count {
                if th[k].isFinite { #expect(close(p.threshold, th[k], 1e-12)) }
                #expect(close(p.sensitivity, se[k], 1e-12) && close(p.specificity, sp[k], 1e-12))
            }
        }
    }

    @Test func pairedDeLongTestEqualsPROC() throws {
        let y = try table.numeric("y")
        for t in ref.l("tests") {
            let a = try ROCAnalysis(scores: try table.numeric(t["a"] as! String), labels: y)
            let b = try ROCAnalysis(scores: try table.numeric(t["b"] as! String), labels: y)
            let r = try a.compare(with: b)
            #expect(close(r.z, t.d("z"), 1e-9))
            #expect(abs(r.p - t.d("p")) <= 1e-9 * max(1e-3, t.d("p")), "p \(r.p) vs \(t.d("p"))")
        }
    }

    @Test func aucEqualsScikitLearn() throws {
        let y = try table.numeric("y")
        let auc = try Fixtures.json("python_crosscheck.json").o("auc")
        for s in ["s1", "s2", "s3"] {
            #expect(close(try ROCAnalysis(scores: try table.numeric(s), labels: y).auc, auc.d(s), 1e-12))
        }
    }

    @Test func midrankComponentsEqualTheQuadraticDefinition() throws {
        let y = try table.numeric("y")
        for s in ["s1", "s2", "s3"] {
            let x = try table.numeric(s)
            let pos = zip(x, y).filter { $0.1 == 1 }.map(\.0), neg = zip(x, y).filter { $0.1 == 0 }.map(\.0)
            let fast = DeLong.components(positives: pos, negatives: neg)
            let slow = DeLong.componentsReference(positives: pos, negatives: neg)
            #expect(zip(fast.v10, slow.v10).allSatisfy { abs($0 - $1) < 1e-12 })
            #expect(zip(fast.v01, slow.v01).allSatisfy { abs($0 - $1) < 1e-12 })
        }
    }

    @Test func swappingClassesGivesOneMinusAUC() throws {
        let y = try table.numeric("y"), x = try table.numeric("s2")
        let r = try ROCAnalysis(scores: x, labels: y)
        let s = try ROCAnalysis(scores: x, labels: y.map { 1 - $0 })
        #expect(abs(r.auc + s.auc - 1) < 1e-12)
        #expect(abs(r.variance - s.variance) < 1e-12)
    }

    @Test func identicalScoresGivePEqualOne() throws {
        let y = try table.numeric("y"), x = try table.numeric("s1")
        let a = try ROCAnalysis(scores: x, labels: y)
        let t = try a.compare(with: try ROCAnalysis(scores: x, labels: y))
        #expect(t.p == 1 && t.z == 0)
    }

    @Test func bootstrapIntervalIsReproducibleAndNearDeLong() throws {
        let y = try table.numeric("y"), x = try table.numeric("s1")
        let r = try ROCAnalysis(scores: x, labels: y)
        let b1 = try r.bootstrapCI(replicates: 500, seed: 7), b2 = try r.bootstrapCI(replicates: 500, seed: 7)
        #expect(b1 == b2)
        #expect(b1.lower < r.auc && r.auc < b1.upper)
        #expect(abs(b1.lower - r.ci.lower) < 0.03 && abs(b1.upper - r.ci.upper) < 0.03)
    }

    @Test func badInputIsRefused() {
        #expect(throws: BiostatisticsError.empty(what: "scores")) { try ROCAnalysis(scores: [], labels: []) }
        #expect(throws: BiostatisticsError.nonFinite(what: "scores", index: 1)) {
            try ROCAnalysis(scores: [0.1, .nan], labels: [0, 1]) }
        #expect(throws: BiostatisticsError.nonFinite(what: "scores", index: 0)) {
            try ROCAnalysis(scores: [.infinity, 1], labels: [0, 1]) }
        #expect(throws: BiostatisticsError.lengthMismatch(what: "labels (one per score)", expected: 2, actual: 3)) {
            try ROCAnalysis(scores: [0.1, 0.2], labels: [0, 1, 1]) }
        #expect(throws: BiostatisticsError.oneClassOnly(what: "ROC analysis", positives: 2, negatives: 0)) {
            try ROCAnalysis(scores: [0.1, 0.2], labels: [1, 1]) }
        #expect(throws: BiostatisticsError.notBinary(what: "labels", index: 1, value: 2)) {
            try ROCAnalysis(scores: [0.1, 0.2], labels: [0, 2]) }
    }

    /// The fast path at scale against the exact AUC of the same 100,000 numbers, computed
    /// independently (tools/biostat/roc_scale_reference.py: scikit-learn and a Mann–Whitney
    /// count in Python, `roc_scale_ref.json`). Not timed (no wall-clock assertions).
    @Test func deLongOnOneHundredThousandGivesTheExactAUC() throws {
        let ref = try Fixtures.json("roc_scale_ref.json")
        var g = SplitMix64(seed: 3)
        let n = 100_000
        #expect(Int(ref.d("n")) == n && Int(ref.d("seed")) == 3)
        let y = (0..<n).map { _ in Double(g.nextIndex(2)) }
        let x = y.map { $0 + g.unit() * 2 }
        // The same data as the script's: class sizes and the sum of the scores.
        #expect(Double(y.filter { $0 == 1 }.count) == ref.d("cases"))
        #expect(abs(x.reduce(0, +) - ref.d("sumScores")) < 1e-6)
        let r = try ROCAnalysis(scores: x, labels: y)
        #expect(abs(r.auc - ref.d("auc")) < 1e-12, "AUC \(r.auc) vs exact \(ref.d("auc"))")
        #expect(abs(ref.d("auc") - ref.d("aucScikitLearn")) < 1e-12 && r.variance > 0)
        // The broken variant the old check (0.8 < AUC < 0.9) passed: ranks off by one, which moves
        // the AUC by 1 / controls.
        let offByOne = r.auc + 1 / ref.d("controls")
        #expect(offByOne > 0.8 && offByOne < 0.9 && abs(offByOne - ref.d("auc")) > 1e-12)
    }
}
