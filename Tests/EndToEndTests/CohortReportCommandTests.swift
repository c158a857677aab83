import Foundation
import Testing

/// `her2mri cohort-report` as QA staff run it: the built binary on the committed predictions
/// fixture (tools/reports/make_cohort_fixture.R), and a bad CSV refused with line and column.
@Suite struct CohortReportCommandTests {
    static let csv = Binary.repository.appendingPathComponent("fixtures/reports/cohort_predictions.csv").path

    @Test func writesTheDocuments() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("her2mri-e2e-cohort-\(UUID().uuidString)")
        let run = try Binary.run(["cohort-report", "--predictions", Self.csv, "--out", out.path, "--bootstrap", "20"])
        #expect(run.status == 0, "\(run.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(files == ["calibration.pdf", "cohort_metrics.json", "dca.pdf", "roc.pdf", "table1.pdf"])
        let metrics = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("cohort_metrics.json"))) as? [String: Any]
        #expect(metrics?["n"] as? Int == 240)
    }

    @Test func badCSVIsRefusedWithLineAndColumn() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("her2mri-e2e-badcohort-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let bad = dir.appendingPathComponent("p.csv")
        try "id,label,deep\nA,1,0.9\nB,0,high\n".write(to: bad, atomically: true, encoding: .utf8)
        let run = try Binary.run(["cohort-report", "--predictions", bad.path, "--out", dir.appendingPathComponent("out").path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("line 3, column deep (column 3)"), "\(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["p.csv"])
        let usage = try Binary.run(["cohort-report", "--predictions", bad.path])
        #expect(usage.status == 64)
    }
}
