import Biostatistics
import Foundation
import Testing
@testable import HER2Model

/// `train --feature-families deep,radiomics` from a feature table: the radiomics baseline is
/// its own rad-score and model, the study's model.json does not change, and the summary's
/// radiomics AUC and deep-vs-radiomics DeLong test equal Biostatistics' ROC and DeLong on the
/// predictions CSVs train writes (the files cohort-report reads).
@Suite(.serialized) struct RadiomicsTrainingTests {
    /// FakeFeatureTable's columns split into two families: the first informative, four noise
    /// and one unstable column stay "deep"; the others become `radiomics.fake.…`; one more
    /// radiomics column is NaN for one study (a documented undefined value).
    static let table: FeatureTable = {
        let fake = try! FakeFeatureTable.make(studies: 240, seed: 23)
        let deep: Set = ["fake.informative.f0", "fake.noise.f0", "fake.noise.f1", "fake.noise.f2", "fake.noise.f3", "fake.unstable.f0"]
        let names = fake.featureNames.map { deep.contains($0) ? $0 : "radiomics." + $0 } + ["radiomics.mask.undefined"]
        let rows = fake.rows.enumerated().map { n, r -> FeatureTable.Row in
            var r = r
            r.features.append(n == 5 ? .nan : Double(n % 7))
            return r
        }
        return try! FeatureTable(featureNames: names, rows: rows)
    }()

    static let root = temporaryFolder("radiomics-training")

    /// Trains from the table written as CSV with these families; returns the job's report.
    static func train(_ families: [FeatureFamily], folder: String) throws -> TrainingJob.Report {
        let out = root.appendingPathComponent(folder)
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let csv = root.appendingPathComponent("table.csv")
        if !FileManager.default.fileExists(atPath: csv.path) { try table.csv().write(to: csv, atomically: true, encoding: .utf8) }
        var settings = TrainingSettings()
        settings.validationCentre = "D"
        settings.seed = 3
        var job = TrainingJob(cohort: nil, labels: nil, featureTable: csv, output: out.appendingPathComponent("model.json"),
                              settings: settings, backbones: nil, weights: BackboneWeights(directory: nil))
        job.families = families
        return try job.run()
    }

    static let both = try! train([.deep, .radiomics], folder: "both")
    static let deepOnly = try! train([.deep], folder: "deep")

    /// A CSV written by train as columns by name (numbers).
    static func columns(_ url: URL) throws -> [String: [Double]] {
        let table = try DataTable.read(path: url.path)
        var out = [String: [Double]]()
        for (name, cells) in zip(table.names, table.columns) where name != "id" && name != "centre" {
            out[name] = try cells.map { try #require(Double($0)) }
        }
        return out
    }

    static func summary() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: both.summaryURL)) as? [String: Any])
    }

    /// The numbers of one split, decoded with JSONDecoder (exact for shortest round-trip
    /// decimals; JSONSerialization on Linux can be an ulp off).
    struct Split: Decodable {
        struct AUC: Decodable { let auc: Double; let ci95: [Double] }
        struct Test: Decodable { let z: Double; let p: Double }
        let n: Int
        let models: [String: AUC]
        let delongDeepVsRadiomics: Test
    }
    struct Summary: Decodable { let training: Split; let validation: Split }

    @Test func summaryAUCsAndDeLongEqualThoseOfTheWrittenPredictions() throws {
        let summary = try JSONDecoder().decode(Summary.self, from: Data(contentsOf: Self.both.summaryURL))
        #expect(Self.both.predictionURLs.map(\.lastPathComponent) == ["predictions_training.csv", "predictions_validation.csv"])
        for (split, url) in zip(["training", "validation"], Self.both.predictionURLs) {
            let c = try Self.columns(url)
            let labels = try #require(c["label"])
            let radiomics = try ROCAnalysis(scores: try #require(c["radiomics"]), labels: labels)
            let deep = try ROCAnalysis(scores: try #require(c["deep"]), labels: labels)
            let combined = try ROCAnalysis(scores: try #require(c["combined"]), labels: labels)
            let s = split == "training" ? summary.training : summary.validation
            let r = try #require(s.models["radiomics"])
            #expect(r.auc == radiomics.auc, "\(split)")
            #expect(r.ci95 == [radiomics.ci.lower, radiomics.ci.upper], "\(split)")
            let test = try deep.compare(with: radiomics)
            #expect(s.delongDeepVsRadiomics.z == test.z && s.delongDeepVsRadiomics.p == test.p, "\(split)")
            // The study's models on the same files agree with the summary too.
            #expect(abs(try #require(s.models["deep"]).auc - deep.auc) < 1e-12)
            #expect(abs(try #require(s.models["combined"]).auc - combined.auc) < 1e-12)
            #expect(s.n == labels.count)
            // Both classes, probabilities in [0, 1] for every model column.
            for name in ["clinical", "deep", "combined", "radiomics"] {
                #expect(try #require(c[name]).allSatisfy { $0 >= 0 && $0 <= 1 })
            }
        }
    }

    @Test func radiomicsIsASeparateScoreAndModelJSONIsUnchanged() throws {
        let radiomics = try #require(Self.both.radiomics)
        #expect(radiomics.radScore.features.allSatisfy { $0.name.hasPrefix("radiomics.") })
        #expect(Self.both.model.radScore.features.allSatisfy { !$0.name.hasPrefix("radiomics.") })
        // 12 radiomics columns in, the NaN one left out before the ICC, the two unstable dropped by it.
        #expect(radiomics.selection.featuresIn == 13)
        #expect(radiomics.selection.featuresAfterICC == 10)
        #expect(radiomics.selection.diagnostics.contains { $0.contains("non-finite") })
        #expect(Self.both.model.featureSelection.featuresIn == 6)
        // The study's model (deep rad-score + clinical) is the one a deep-only run makes.
        // (The content hash covers everything but the creation time.)
        #expect(Self.both.model.contentHash == Self.deepOnly.model.contentHash)
        #expect(Self.deepOnly.radiomics == nil)
        #expect(try String(contentsOf: Self.deepOnly.predictionURLs[0], encoding: .utf8).hasPrefix("id,label,clinical,deep,combined,age,"))

        let summary = try Self.summary()
        let r = try #require(summary["radiomics"] as? [String: Any])
        let selected = try #require(r["selectedFeatures"] as? [[String: Any]])
        #expect(selected.map { $0["name"] as? String } == radiomics.radScore.features.map(\.name))
        let coefficients = try #require(summary["coefficients"] as? [String: Any])
        #expect((coefficients["radiomics"] as? [[String: Any]])?.map { $0["name"] as? String } == ["(Intercept)", "radScore"])
        // The radiomics model's validation probabilities follow from its rad-score and logistic fit.
        let validation = Self.table.rows.filter { $0.reader == 1 && $0.centre == "D" }
        let index = Dictionary(uniqueKeysWithValues: Self.table.featureNames.enumerated().map { ($1, $0) })
        let expected = validation.map { radiomics.fit.probability([radiomics.radScore.score($0, index: index)]) }
        #expect(try Self.columns(Self.both.predictionURLs[1])["radiomics"] == expected)
    }

    @Test func radiomicsAskedOfATableWithoutRadiomicsIsRefused() throws {
        let out = Self.root.appendingPathComponent("refused")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let csv = Self.root.appendingPathComponent("deep-table.csv")
        try FakeFeatureTable.make(studies: 40, seed: 2).csv().write(to: csv, atomically: true, encoding: .utf8)
        var job = TrainingJob(cohort: nil, labels: nil, featureTable: csv, output: out.appendingPathComponent("model.json"),
                              settings: TrainingSettings(), backbones: nil, weights: BackboneWeights(directory: nil))
        job.families = [.deep, .radiomics]
        #expect(throws: HER2ModelError.self) { try job.run() }
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty)
    }
}
