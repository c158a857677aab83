import Foundation
import Testing

/// `her2mri train --feature-families deep,radiomics` through the binary, and the cohort report
/// drawing its predictions: the committed training table with some FAKE columns renamed
/// `radiomics.…` stands in for extracted radiomics (the extraction itself is tested in
/// HER2ModelTests on synthetic studies).
@Suite struct TrainRadiomicsCommandTests {
    /// fixtures/training/features.csv with fake.informative.f1/f2, fake.noise.f4…f7 and
    /// fake.unstable.f1 renamed into the radiomics family.
    static func table(in root: URL) throws -> URL {
        let text = try String(contentsOf: TrainPredictCommandTests.table, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let renamed: Set = ["fake.informative.f1", "fake.informative.f2", "fake.noise.f4", "fake.noise.f5", "fake.noise.f6",
                            "fake.noise.f7", "fake.unstable.f1"]
        lines[0] = lines[0].split(separator: ",").map { renamed.contains(String($0)) ? "radiomics.t2.\($0)" : String($0) }
            .joined(separator: ",")
        let url = root.appendingPathComponent("table.csv")
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func trainsTheRadiomicsModelAndTheReportDrawsIt() throws {
        let root = Binary.temporaryFolder("train-radiomics")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let table = try Self.table(in: root)
        let out = root.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let run = try Binary.run(["train", "--features", table.path, "--out", out.appendingPathComponent("model.json").path,
                                  "--validate-on-centre", "D", "--folds", "5", "--seed", "9", "--feature-families", "deep,radiomics"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("radiomics: ICC(2,1)") && run.stdout.contains("deep vs radiomics z ="), "\(run.stdout)")
        let csv = out.appendingPathComponent("predictions_validation.csv")
        let header = try String(contentsOf: csv, encoding: .utf8).prefix { $0 != "\n" }
        #expect(header.hasPrefix("id,label,clinical,deep,combined,radiomics,"))
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("training_summary.json"))) as? [String: Any])
        let validation = try #require(summary["validation"] as? [String: Any])
        #expect(Set(try #require(validation["models"] as? [String: Any]).keys) == ["clinical", "deep", "combined", "radiomics"])
        #expect((validation["delongDeepVsRadiomics"] as? [String: Any])?["p"] is Double)

        let report = root.appendingPathComponent("report")
        let drawn = try Binary.run(["cohort-report", "--predictions", csv.path, "--out", report.path, "--bootstrap", "20"])
        #expect(drawn.status == 0, "\(drawn.stderr)")
        let metrics = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: report.appendingPathComponent("cohort_metrics.json"))) as? [String: Any])
        #expect((metrics["modelOrder"] as? [String]) == ["clinical", "deep", "combined", "radiomics"])
    }

    @Test func radiomicsAloneIsAUsageError() throws {
        let run = try Binary.run(["train", "--features", TrainPredictCommandTests.table.path, "--out", "/nonexistent/model.json",
                                  "--feature-families", "radiomics"])
        #expect(run.status == 64, "\(run.stderr)")
        #expect(run.stderr.contains("feature-families"))
    }
}
