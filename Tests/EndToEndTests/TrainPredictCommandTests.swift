import Foundation
import Testing

/// `her2mri train --features` and `predict` through the binary: outputs, byte-identical models
/// under SOURCE_DATE_EPOCH, and refusals (bad table cell, edited model) with nothing written.
/// The table is fixtures/training/features.csv (FAKE deep columns, see tools/training/make_fixture.R).
@Suite struct TrainPredictCommandTests {
    static let table = Binary.repository.appendingPathComponent("fixtures/training/features.csv")

    func train(_ folder: URL, table: URL = Self.table, extra: [String] = []) throws -> Binary.Run {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try Binary.run(["train", "--features", table.path, "--out", folder.appendingPathComponent("model.json").path,
                               "--validate-on-centre", "D", "--folds", "5", "--seed", "9"] + extra)
    }

    @Test func trainsFromATableTwiceToTheSameBytes() throws {
        let root = Binary.temporaryFolder("train-table")
        defer { try? FileManager.default.removeItem(at: root) }
        setenv("SOURCE_DATE_EPOCH", "1764547200", 1)
        let a = try train(root.appendingPathComponent("a")), b = try train(root.appendingPathComponent("b"))
        #expect(a.status == 0, "\(a.stderr)")
        #expect(b.status == 0, "\(b.stderr)")
        let ma = try Data(contentsOf: root.appendingPathComponent("a/model.json"))
        #expect(ma == (try Data(contentsOf: root.appendingPathComponent("b/model.json"))))
        #expect(a.stdout.contains("validation on centre D") && a.stdout.contains("demonstration model — not for clinical use"))
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("a/training_summary.json"))) as? [String: Any])
        let validation = try #require(summary["validation"] as? [String: Any])
        #expect(validation["n"] as? Int == 40)
        let models = try #require(validation["models"] as? [String: [String: Any]])
        #expect(Set(models.keys) == ["clinical", "deep", "combined"])
        #expect((models["combined"]?["ci95"] as? [Double])?.count == 2)
        #expect((validation["delongCombinedVsClinical"] as? [String: Any])?["p"] is Double)
    }

    @Test func badTableCellIsRefusedAndNothingWritten() throws {
        let root = Binary.temporaryFolder("train-bad")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        var lines = try String(contentsOf: Self.table, encoding: .utf8).split(separator: "\n").map(String.init)
        var cells = lines[3].split(separator: ",").map(String.init)
        cells[8] = "7"
        lines[3] = cells.joined(separator: ",")
        let bad = root.appendingPathComponent("bad.csv")
        try (lines.joined(separator: "\n") + "\n").write(to: bad, atomically: true, encoding: .utf8)
        let run = try train(root.appendingPathComponent("out"), table: bad)
        #expect(run.status == 1)
        #expect(run.stderr.contains("bad.csv:4, column \"kineticType\": \"7\" is not 1, 2 or 3"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("out/model.json").path))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("out/training_summary.json").path))
    }

    @Test func predictRefusesAnEditedModelOrAForeignOneBeforeReadingTheStudy() throws {
        let root = Binary.temporaryFolder("predict-model")
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try train(root).status == 0)
        let model = root.appendingPathComponent("model.json")
        // Trained on a table of fake features: no backbone her2mri can run.
        let foreign = try Binary.run(["predict", root.appendingPathComponent("no-study").path, "--model", model.path,
                                      "--out", root.appendingPathComponent("out1").path])
        #expect(foreign.status == 1 && foreign.stderr.contains("not a backbone her2mri can run"), "\(foreign.stderr)")
        var text = try String(contentsOf: model, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"iccThreshold\": 0.9", with: "\"iccThreshold\": 0.8")
        let edited = root.appendingPathComponent("edited.json")
        try text.write(to: edited, atomically: true, encoding: .utf8)
        let run = try Binary.run(["predict", root.appendingPathComponent("no-study").path, "--model", edited.path,
                                  "--out", root.appendingPathComponent("out2").path])
        #expect(run.status == 1 && run.stderr.contains("edited.json: content hash mismatch"), "\(run.stderr)")
        for out in ["out1", "out2"] { #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent(out).path)) }
    }
}
