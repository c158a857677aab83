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

/// `her2mri cohort-report --cohort DIR --model model.json`: a cohort folder through the
/// prediction chain. The model is trained on the training fixture with its deep columns renamed
/// to real ResNet50 feature names (so the chain can score it); the cohort is two synthetic
/// studies, each copied six times (the feature cache makes the copies cheap), labels alternating.
/// The combined probability of a study equals what `her2mri predict` says of it; a broken study
/// fails the command with its name and nothing in --out.
@Suite(.serialized) struct CohortFolderReportTests {
    static let root = Binary.temporaryFolder("cohort-folder")

    static let prepared: (model: URL, cohort: URL, studies: [String]) = {
        let fm = FileManager.default
        try? fm.createDirectory(at: root, withIntermediateDirectories: true)
        // Training table with real feature names.
        let table = Binary.repository.appendingPathComponent("fixtures/training/features.csv")
        var lines = try! String(contentsOf: table, encoding: .utf8).split(separator: "\n").map(String.init)
        var k = 0
        lines[0] = lines[0].split(separator: ",").map { name -> String in
            guard name.hasPrefix("fake.") else { return String(name) }
            defer { k += 1 }
            return String(format: "resnet50.dce_sub.f%04d", k)
        }.joined(separator: ",")
        let renamed = root.appendingPathComponent("features.csv")
        try! (lines.joined(separator: "\n") + "\n").write(to: renamed, atomically: true, encoding: .utf8)
        let model = root.appendingPathComponent("model/model.json")
        try! fm.createDirectory(at: model.deletingLastPathComponent(), withIntermediateDirectories: true)
        let trained = try! Binary.run(["train", "--features", renamed.path, "--out", model.path, "--folds", "5", "--seed", "9"])
        precondition(trained.status == 0, trained.stderr)
        let made = root.appendingPathComponent("made")
        let synth = try! Binary.run(["synth", "--patients", "2", "--seed", "31", "--out", made.path])
        precondition(synth.status == 0, synth.stderr)
        let cohort = root.appendingPathComponent("cohort")
        try! fm.createDirectory(at: cohort, withIntermediateDirectories: true)
        var studies = [String](), labels = ["studyId,her2"]
        for copy in 0..<6 {
            for (j, original) in ["SYN0001", "SYN0002"].enumerated() {
                let id = "\(original)-\(copy)"
                try! fm.copyItem(at: made.appendingPathComponent(original), to: cohort.appendingPathComponent(id))
                studies.append(id)
                labels.append("\(id),\((copy + j) % 2 == 0 ? "positive" : "negative")")
            }
        }
        try! (labels.joined(separator: "\n") + "\n").write(to: cohort.appendingPathComponent("labels.csv"), atomically: true, encoding: .utf8)
        return (model, cohort, studies.sorted())
    }()

    @Test func scoresEveryStudyAsPredictDoes() throws {
        let p = Self.prepared
        let out = Self.root.appendingPathComponent("out")
        let run = try Binary.run(["cohort-report", "--cohort", p.cohort.path, "--model", p.model.path, "--out", out.path,
                                  "--bootstrap", "20", "--feature-cache", Self.root.appendingPathComponent("cache").path])
        #expect(run.status == 0, "\(run.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(files == ["calibration.pdf", "cohort_metrics.json", "dca.pdf", "predictions.csv", "roc.pdf", "table1.pdf"])
        let rows = try String(contentsOf: out.appendingPathComponent("predictions.csv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows[0].prefix(5) == ["id", "label", "clinical", "deep", "combined"])
        #expect(rows.dropFirst().map { $0[0] } == p.studies)
        let labels = try String(contentsOf: p.cohort.appendingPathComponent("labels.csv"), encoding: .utf8)
        for r in rows.dropFirst() {
            #expect(labels.contains("\(r[0]),\(r[1] == "1" ? "positive" : "negative")"), "label of \(r[0])")
            for v in r[2...4] { #expect(Double(v).map { $0 >= 0 && $0 <= 1 } == true) }
        }
        // The same study through `predict`.
        let single = try Binary.run(["predict", p.cohort.appendingPathComponent("SYN0002-3").path, "--model", p.model.path,
                                     "--out", Self.root.appendingPathComponent("predict").path])
        #expect(single.status == 0, "\(single.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.root.appendingPathComponent("predict/prediction.json"))) as? [String: Any]
        let predicted = try #require(json?["probability"] as? Double)
        let row = try #require(rows.first { $0[0] == "SYN0002-3" })
        #expect(abs(Double(row[4])! - predicted) <= 1e-9 * max(1, predicted), "cohort \(row[4]) vs predict \(predicted)")
    }

    @Test func aBrokenStudyFailsTheCommandByName() throws {
        let p = Self.prepared
        let broken = Self.root.appendingPathComponent("broken")
        try? FileManager.default.removeItem(at: broken)
        try FileManager.default.copyItem(at: p.cohort, to: broken)
        try FileManager.default.removeItem(at: broken.appendingPathComponent("SYN0001-2/dce.nii.gz"))
        let out = Self.root.appendingPathComponent("out-broken")
        let run = try Binary.run(["cohort-report", "--cohort", broken.path, "--model", p.model.path, "--out", out.path,
                                  "--bootstrap", "20", "--feature-cache", Self.root.appendingPathComponent("cache").path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("1 study failed") && run.stderr.contains("SYN0001-2:"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        let usage = try Binary.run(["cohort-report", "--cohort", broken.path, "--out", out.path])
        #expect(usage.status == 64 && usage.stderr.contains("--model"), "\(usage.stderr)")
    }
}
