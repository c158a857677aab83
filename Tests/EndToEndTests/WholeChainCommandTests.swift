import Foundation
import ImageIO
import Testing
import Volumes

/// The whole chain through the binary, as a user runs it: `synth` a small DICOM cohort, `train`
/// from its study folders (real preprocessing, lesion, ResNet50 features, ICC, LASSO, the three
/// models, nomogram), `predict` a study the model has not seen (prediction.json, provenance.json
/// and the four documents) — and the issue's bad inputs, each refused with the study, the file
/// and the fault, exit 1, nothing written.
///
/// 15 training studies are few for the 7-predictor combined model: the labels below alternate
/// by study (the chain, not the fit, is under test), so maximum likelihood separates and the
/// trainer's Firth fallback is exercised and reported.
@Suite(.serialized) struct WholeChainCommandTests {
    static let root = Binary.temporaryFolder("whole-chain")
    static let held = "SYN0016"

    /// The cohort (training studies in `cohort/`, the held-out study in `new/`) and the trained model.
    static let trained: Result<URL, Error> = Result {
        let cohort = root.appendingPathComponent("cohort")
        let synth = try Binary.run(["synth", "--out", cohort.path, "--patients", "16", "--seed", "4242", "--format", "dicom"])
        guard synth.status == 0 else { throw Failure("synth: \(synth.stderr)") }
        let new = root.appendingPathComponent("new")
        try FileManager.default.createDirectory(at: new, withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: cohort.appendingPathComponent(held), to: new.appendingPathComponent(held))
        let ids = (1...15).map { String(format: "SYN%04d", $0) }
        let labels = root.appendingPathComponent("labels.csv")
        try (["studyId,her2"] + ids.enumerated().map { "\($1),\($0 % 2 == 0 ? "positive" : "negative")" })
            .joined(separator: "\n").write(to: labels, atomically: true, encoding: .utf8)
        let model = root.appendingPathComponent("model/model.json")
        try FileManager.default.createDirectory(at: model.deletingLastPathComponent(), withIntermediateDirectories: true)
        let train = try Binary.run(["train", "--cohort", cohort.path, "--labels", labels.path, "--out", model.path,
                                    "--folds", "3", "--seed", "7", "--backbones", "resnet50"])
        guard train.status == 0 else { throw Failure("train: \(train.stderr)") }
        return model
    }

    struct Failure: Error, CustomStringConvertible { let description: String; init(_ d: String) { description = d } }

    static func model() throws -> URL { try trained.get() }

    func predict(_ study: URL, model: URL? = nil, out name: String, extra: [String] = []) throws -> (Binary.Run, URL) {
        let out = Self.root.appendingPathComponent("out-\(name)")
        let run = try Binary.run(["predict", study.path, "--model", (try model ?? Self.model()).path, "--out", out.path] + extra)
        return (run, out)
    }

    @Test func trainsFromStudyFoldersAndPredictsANewStudy() throws {
        let model = try Self.model()
        let summary = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: model.deletingLastPathComponent().appendingPathComponent("training_summary.json"))) as? [String: Any])
        let training = try #require(summary["training"] as? [String: Any])
        #expect(training["n"] as? Int == 15)
        let artifact = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: model)) as? [String: Any])
        let diagnostics = ((artifact["featureSelection"] as? [String: Any])?["diagnostics"] as? [String]) ?? []
        #expect(diagnostics.contains { $0.contains("Firth") }, "the separation fallback is reported: \(diagnostics)")

        let (run, out) = try predict(Self.root.appendingPathComponent("new/\(Self.held)"), out: "good", extra: ["--timings"])
        #expect(run.status == 0, "\(run.stderr)")
        for stage in ["load", "preprocess", "lesion", "resnet50", "model"] {
            #expect(run.stdout.contains(stage), "--timings prints \(stage): \(run.stdout)")
        }
        for file in ["prediction.json", "provenance.json", "report.pdf", "hl7.xml", "hl7.er7", "report.dcm"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "\(file) written")
        }
        let p = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("prediction.json"))) as? [String: Any])
        #expect(p["studyId"] as? String == Self.held && p["seededWeights"] as? Bool == true && p["demonstrationModel"] as? Bool == true)
        let probability = try #require(p["probability"] as? Double), ci = try #require(p["ci95"] as? [Double])
        #expect(ci.count == 2 && ci[0] <= probability && probability <= ci[1] && 0 < probability && probability < 1)
        let factors = try #require(p["factors"] as? [[String: Any]])
        let total = factors.compactMap { $0["points"] as? Double }.reduce(0, +)
        #expect(factors.count == 7 && abs(total - ((p["totalPoints"] as? Double) ?? .nan)) < 1e-9)
        let threshold = try #require(p["threshold"] as? Double)
        #expect(p["call"] as? String == (probability >= threshold ? "positive" : "negative"))
        let provenance = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("provenance.json"))) as? [String: Any])
        #expect((provenance["model"] as? [String: Any])?["contentHash"] as? String == artifact["contentHash"] as? String)
        // The same study again into the same folder is refused: nothing is overwritten.
        let again = try predict(Self.root.appendingPathComponent("new/\(Self.held)"), out: "good").0
        #expect(again.status == 1 && again.stderr.contains("not empty"), "\(again.stderr)")
    }

    /// A copy of the held-out study with one fault.
    func broken(_ name: String, _ change: (URL) throws -> Void) throws -> URL {
        _ = try Self.model()
        let folder = Self.root.appendingPathComponent("bad-\(name)/\(Self.held)")
        try? FileManager.default.removeItem(at: folder.deletingLastPathComponent())
        try FileManager.default.createDirectory(at: folder.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.root.appendingPathComponent("new/\(Self.held)"), to: folder)
        try change(folder)
        return folder
    }

    /// Refused with exit 1, a message naming the study and every expected word, no output folder.
    func expectRefused(_ study: URL, _ name: String, mentions: [String], model: URL? = nil) throws {
        let (run, out) = try predict(study, model: model, out: name)
        #expect(run.status == 1, "\(name): exit \(run.status)")
        let said = run.stderr
        #expect(said.hasPrefix("her2mri: error:"), "\(name): \(said)")
        for word in mentions { #expect(said.localizedCaseInsensitiveContains(word), "\(name): \"\(word)\" not in \(said)") }
        #expect(!FileManager.default.fileExists(atPath: out.path), "\(name): output written")
    }

    @Test func noDCEIsRefused() throws {
        let study = try broken("no-dce") { try FileManager.default.removeItem(at: $0.appendingPathComponent("DCE")) }
        try expectRefused(study, "no-dce", mentions: [Self.held, "DCE"])
    }

    @Test func t2OfAnotherPatientIsRefused() throws {
        let study = try broken("other-t2") { folder in
            try FileManager.default.removeItem(at: folder.appendingPathComponent("T2"))
            try FileManager.default.copyItem(at: Self.root.appendingPathComponent("cohort/SYN0003/T2"), to: folder.appendingPathComponent("T2"))
        }
        try expectRefused(study, "other-t2", mentions: [Self.held, "T2", "patient"])
    }

    @Test func emptyMaskIsRefused() throws {
        let study = try broken("empty-mask") { folder in
            let url = folder.appendingPathComponent("tumor_mask.nii.gz")
            var mask = try NIfTIReader.read(contentsOf: url).volume
            mask.samples = [Float](repeating: 0, count: mask.samples.count)
            try NIfTIWriter.write(mask, to: url)
        }
        try expectRefused(study, "empty-mask", mentions: [Self.held, "tumor_mask", "empty"])
    }

    @Test func maskOnAnotherGridIsRefused() throws {
        let study = try broken("mask-grid") { folder in
            let url = folder.appendingPathComponent("tumor_mask.nii.gz")
            let mask = try NIfTIReader.read(contentsOf: url).volume
            try NIfTIWriter.write(try Volume(size: mask.size &- SIMD3(2, 2, 0), geometry: mask.geometry, repeating: 1), to: url)
        }
        try expectRefused(study, "mask-grid", mentions: [Self.held, "tumor_mask", "grid"])
    }

    @Test func clinicalFieldOfTheWrongTypeIsRefused() throws {
        let study = try broken("clinical-type") { folder in
            let url = folder.appendingPathComponent("study.json")
            var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            var clinical = try #require(object["clinical"] as? [String: Any])
            clinical["age"] = "sixty"
            object["clinical"] = clinical
            try JSONSerialization.data(withJSONObject: object).write(to: url)
        }
        try expectRefused(study, "clinical-type", mentions: [Self.held, "study.json", "age"])
    }

    /// An edited coefficient or another schema version: refused before any study is read (the
    /// study given does not exist).
    @Test func editedOrForeignSchemaModelIsRefusedBeforeAnyStudyIsRead() throws {
        let text = try String(contentsOf: try Self.model(), encoding: .utf8)
        // One digit more in the first coefficient (after its sign), still valid JSON.
        let key = try #require(text.range(of: "\"estimate\" : ") ?? text.range(of: "\"estimate\": "))
        var edited = text
        let at = edited[key.upperBound] == "-" ? edited.index(after: key.upperBound) : key.upperBound
        edited.insert("1", at: at)
        let editedURL = Self.root.appendingPathComponent("edited.json")
        try edited.write(to: editedURL, atomically: true, encoding: .utf8)
        try expectRefused(Self.root.appendingPathComponent("no-such-study"), "edited", mentions: ["edited.json", "content hash"], model: editedURL)
        let foreign = text.replacingOccurrences(of: "her2mri.model/1", with: "her2mri.model/0")
        #expect(foreign != text)
        let foreignURL = Self.root.appendingPathComponent("foreign.json")
        try foreign.write(to: foreignURL, atomically: true, encoding: .utf8)
        try expectRefused(Self.root.appendingPathComponent("no-such-study"), "foreign", mentions: ["foreign.json", "schema"], model: foreignURL)
    }
}
