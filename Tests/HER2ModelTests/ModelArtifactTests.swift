import Foundation
import Testing
@testable import HER2Model

@Suite struct ModelArtifactTests {
    var model: ModelArtifact { TrainerTests.outcome.model }

    @Test func readsBackExactly() throws {
        let text = model.fileText()
        let back = try ModelArtifact.decode(Data(text.utf8), path: "model.json")
        #expect(back == model)
        #expect(back.fileText() == text)
        #expect(model.contentHash.hasPrefix("sha256:") && model.contentHash.count == 71)
    }

    @Test func creationTimeIsOutsideTheHash() throws {
        var later = model
        later.createdAt = "2030-05-05T05:05:05Z"
        #expect(later.computedHash() == model.contentHash)
        #expect(try ModelArtifact.decode(Data(later.fileText().utf8), path: "m.json") == later)
    }

    @Test func editedCoefficientIsRefused() throws {
        var edited = model
        edited.models.combined.coefficients[1].estimate += 0.001
        #expect { try ModelArtifact.decode(Data(edited.fileText().utf8), path: "m.json") } throws: {
            "\($0)".hasPrefix("m.json: content hash mismatch") && "\($0)".contains("never edit model.json by hand")
        }
        // An edit in the text itself (the first threshold digit changed) is refused too.
        let text = model.fileText()
        let key = "\"probability\":"
        let r = try #require(text.range(of: key, options: .backwards))
        var changed = text
        let digit = changed.index(r.upperBound, offsetBy: 3)
        changed.replaceSubrange(digit...digit, with: changed[digit] == "1" ? "2" : "1")
        #expect(changed != text)
        #expect { try ModelArtifact.decode(Data(changed.utf8), path: "m.json") } throws: { "\($0)".contains("content hash mismatch") }
    }

    @Test func otherSchemaVersionIsRefusedFirst() throws {
        var other = model
        other.schemaVersion = "her2mri.model/2"
        // Also break the structure: the version check must come first.
        let text = other.fileText().replacingOccurrences(of: "\"radScore\"", with: "\"radScoreX\"")
        #expect { try ModelArtifact.decode(Data(text.utf8), path: "m.json") } throws: {
            "\($0)".hasPrefix("m.json: schema version \"her2mri.model/2\" is not the one this her2mri reads (\"her2mri.model/1\")")
        }
    }

    /// A model trained with other preprocessing (here: the registration's step growth off, as
    /// models made before it existed) is refused before any study is read; the same preprocessing
    /// and a model from a feature table (no record) pass.
    @Test func otherPreprocessingIsRefusedBeforeAnyStudyIsRead() throws {
        let chain = try StudyPipeline.standard(backbones: [.resnet50], weightsDirectory: nil, cacheDirectory: nil, threads: 1)
        var older = PreprocessingSettings()
        older.registration.stepGrowthAfter = 0
        older.motionCorrection.stepGrowthAfter = 0
        let olderChain = try StudyPipeline.standard(backbones: [.resnet50], weightsDirectory: nil, cacheDirectory: nil,
                                                    threads: 1, preprocessing: older)
        var trained = model
        trained.preprocessing = olderChain.preprocessingParameters
        trained = trained.sealed()
        #expect { try trained.checkPreprocessing(of: chain, path: "m.json") } throws: {
            "\($0)".hasPrefix("m.json: it was trained with other preprocessing than this her2mri runs (preprocessor: model ")
                && "\($0)".contains("potential fix: train the model again")
        }
        trained.preprocessing = chain.preprocessingParameters
        try trained.checkPreprocessing(of: chain, path: "m.json")
        trained.preprocessing = [:]
        try trained.checkPreprocessing(of: chain, path: "m.json")

        // Through predict: refused before the (empty, unreadable) study folder is looked at.
        let folder = temporaryFolder("stale-preprocessing")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let modelURL = folder.appendingPathComponent("model.json")
        var stale = model
        stale.backbones = [.init(name: "resnet50", weights: "seeded:\(BackboneWeights(directory: nil).seed)")]
        stale.preprocessing = olderChain.preprocessingParameters
        try stale.sealed().fileText().write(to: modelURL, atomically: true, encoding: .utf8)
        let study = folder.appendingPathComponent("study")
        try FileManager.default.createDirectory(at: study, withIntermediateDirectories: true)
        let job = PredictionJob(study: study, model: modelURL, output: folder.appendingPathComponent("out"),
                                weights: BackboneWeights(directory: nil), pipeline: chain)
        #expect { try job.run() } throws: { "\($0)".contains("trained with other preprocessing") }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
    }

    @Test func malformedFilesAreRefusedWithTheirFault() throws {
        #expect { try ModelArtifact.decode(Data("not json".utf8), path: "m.json") } throws: { "\($0)".hasPrefix("m.json: not a JSON object") }
        #expect { try ModelArtifact.decode(Data("{}".utf8), path: "m.json") } throws: { "\($0)".contains("no \"schemaVersion\"") }
        let missing = model.fileText().replacingOccurrences(of: "\"threshold\"", with: "\"thresholdX\"")
        #expect { try ModelArtifact.decode(Data(missing.utf8), path: "m.json") } throws: { "\($0)".contains("missing key \"threshold\"") }
        #expect { try ModelArtifact.read(path: "/nonexistent/model.json") } throws: { "\($0)".contains("cannot read the model file") }
    }
}
