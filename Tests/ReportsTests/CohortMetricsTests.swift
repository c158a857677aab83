import Foundation
import Testing
@testable import Reports

/// cohort_metrics.json against R's pROC / glm / hoslem and Python's dcurves on the committed
/// fixture (tools/reports/make_cohort_fixture.{R,py}).
@Suite struct CohortMetricsTests {
    static func produce() throws -> ([String: Any], URL) {
        let out = try TestSupport.tempFolder("cohort").appendingPathComponent("out")
        var s = CohortAnalysisSettings()
        s.bootstrapReplicates = 20
        _ = try CohortReport.run(predictions: TestSupport.fixture("cohort_predictions.csv"), out: out.path, settings: s)
        return (try TestSupport.json(out.appendingPathComponent("cohort_metrics.json").path), out)
    }

    @Test func rocAndCalibrationEqualR() throws {
        let (m, _) = try Self.produce()
        let ref = try TestSupport.json(TestSupport.fixture("cohort_ref_R.json"))
        let models = m.o("models"), refModels = ref.o("models")
        #expect(models.keys.sorted() == ["clinical", "combined", "deep"])
        for name in ["clinical", "deep", "combined"] {
            let r = models.o(name).o("roc"), c = models.o(name).o("calibration"), e = refModels.o(name)
            for k in ["auc", "variance", "ciLower", "ciUpper"] {
                #expect(close(r.d(k), e.d(k), 1e-9), "\(name) \(k): \(r.d(k)) vs pROC \(e.d(k))")
            }
            for k in ["threshold", "sensitivity", "specificity"] {
                #expect(close(r.o("youden").d(k), e.o("youden").d(k), 1e-9), "\(name) Youden \(k)")
            }
            #expect(close(c.d("brier"), e.d("brier"), 1e-12))
            #expect(close(c.d("intercept"), e.d("intercept"), 1e-6), "\(name) intercept \(c.d("intercept")) vs glm \(e.d("intercept"))")
            #expect(close(c.d("slope"), e.d("slope"), 1e-6))
            #expect(close(c.o("hosmerLemeshow").d("chi2"), e.o("hosmerLemeshow").d("chi2"), 1e-9))
            #expect(close(c.o("hosmerLemeshow").d("p"), e.o("hosmerLemeshow").d("p"), 1e-9))
        }
        let delong = m["delong"] as! [[String: Any]], refDelong = ref["delong"] as! [[String: Any]]
        #expect(delong.count == 3)
        for (a, b) in zip(delong, refDelong) {
            #expect(a["a"] as? String == b["a"] as? String && a["b"] as? String == b["b"] as? String)
            #expect(close(a.d("z"), b.d("z"), 1e-8), "DeLong z \(a.d("z")) vs roc.test \(b.d("z"))")
            #expect(close(a.d("p"), b.d("p"), 1e-8))
        }
    }

    @Test func decisionCurvesEqualDcurves() throws {
        let (m, _) = try Self.produce()
        let ref = try TestSupport.json(TestSupport.fixture("cohort_ref_dcurves.json"))
        let dref = m.o("decisionCurveReference")
        #expect(dref.a("thresholds") == ref.a("thresholds"))
        for (mine, theirs) in [(dref.a("treatAll"), ref.a("all")), (dref.a("treatNone"), ref.a("none"))] {
            #expect(mine.count == theirs.count)
            #expect(zip(mine, theirs).allSatisfy { close($0, $1, 1e-12) })
        }
        for name in ["clinical", "deep", "combined"] {
            let mine = m.o("models").o(name).o("decisionCurve").a("netBenefit"), theirs = ref.a(name)
            #expect(mine.count == 99 && theirs.count == 99)
            #expect(zip(mine, theirs).allSatisfy { close($0, $1, 1e-12) }, "\(name) net benefit differs from dcurves")
        }
    }

    @Test func table1TestsEqualR() throws {
        let (m, _) = try Self.produce()
        let ref = try TestSupport.json(TestSupport.fixture("cohort_ref_R.json")).o("table1")
        let rows = (m.o("table1")["rows"] as! [[String: Any]]).filter { ($0["p"] as? NSNumber) != nil }
        func p(_ variable: String) -> Double { rows.first { ($0["variable"] as! String).hasPrefix(variable) }!.d("p") }
        #expect(close(p("Age"), ref.d("age"), 1e-8))
        #expect(close(p("Tumour size"), ref.d("tumourSizeMm"), 1e-8))
        #expect(close(p("Lymph-node"), ref.d("lymphNodeInvolvement"), 1e-8))
        #expect(close(p("Kinetic"), ref.d("kineticType"), 1e-8))
        #expect(close(p("Centre"), ref.d("centre"), 1e-8))
    }

    /// Every PDF passes qpdf --check, its text holds the AUCs, and rendering succeeds.
    @Test func pdfsPassQpdfAndHoldTheNumbers() throws {
        let (m, out) = try Self.produce()
        guard let qpdf = TestSupport.which("qpdf"), let pdftotext = TestSupport.which("pdftotext") else {
            print("skipped: qpdf or pdftotext not installed (make setup installs qpdf and poppler-utils)")
            return
        }
        for f in ["roc.pdf", "calibration.pdf", "dca.pdf", "table1.pdf"] {
            let (st, msg) = try TestSupport.run(qpdf, ["--check", out.appendingPathComponent(f).path])
            #expect(st == 0, "\(f): \(msg)")
        }
        let (_, text) = try TestSupport.run(pdftotext, [out.appendingPathComponent("roc.pdf").path, "-"])
        let auc = m.o("models").o("combined").o("roc").d("auc")
        #expect(text.contains(String(format: "combined: AUC %.3f", auc)), "roc.pdf text: \(text.prefix(400))")
        let (_, calText) = try TestSupport.run(pdftotext, [out.appendingPathComponent("calibration.pdf").path, "-"])
        #expect(calText.contains(String(format: "Brier score %.4f", m.o("models").o("deep").o("calibration").d("brier"))))
    }

    /// The same input gives the same bytes (fixed creation date, seeded bootstrap).
    @Test func reproducibleBytes() throws {
        let (_, a) = try Self.produce()
        let (_, b) = try Self.produce()
        for f in ["roc.pdf", "calibration.pdf", "dca.pdf", "table1.pdf", "cohort_metrics.json"] {
            #expect(try Data(contentsOf: a.appendingPathComponent(f)) == Data(contentsOf: b.appendingPathComponent(f)), "\(f) differs between runs")
        }
    }
}
