import Biostatistics
import Foundation
import LinearAlgebra
import Testing
@testable import HER2Model

@Suite struct TrainerTests {
    static let table = try! FakeFeatureTable.make(studies: 240, seed: 11)
    static let outcome: Trainer.Outcome = {
        var s = TrainingSettings()
        s.validationCentre = "D"
        s.seed = 5
        return try! Trainer(settings: s).fit(table, context: FakeFeatureTable.context)
    }()

    var model: ModelArtifact { Self.outcome.model }
    var training: [FeatureTable.Row] { Self.table.rows.filter { $0.reader == 1 && $0.centre != "D" } }

    @Test func iccFilterDropsTheUnstableFeaturesOnly() {
        #expect(model.featureSelection.featuresIn == 18)
        #expect(model.featureSelection.featuresAfterICC == 15)
        #expect(model.radScore.features.allSatisfy { !$0.name.contains("unstable") })
        #expect(model.radScore.features.contains { $0.name.contains("informative") })
        #expect(model.trainedOn.studies == 180 && model.trainedOn.validationStudies == 60)
        #expect(model.trainedOn.centres == ["A", "B", "C"])
    }

    /// The standardisation is the training mean and sd (n − 1), recomputed here directly.
    @Test func standardisationIsTheTrainingMeanAndSD() throws {
        for f in model.radScore.features {
            let j = Self.table.featureNames.firstIndex(of: f.name)!
            let v = training.map { $0.features[j] }
            let mean = v.reduce(0, +) / Double(v.count)
            let sd = (v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(v.count - 1)).squareRoot()
            #expect(abs(f.mean - mean) < 1e-12 && abs(f.sd - sd) < 1e-12 * sd)
        }
    }

    /// The combined model equals Biostatistics.LogisticRegression on the rad-score (recomputed
    /// from the model's coefficients) and the clinical columns; the clinical model likewise.
    @Test func logisticModelsEqualADirectFitOnTheSameColumns() throws {
        let rad = training.map { r in
            model.radScore.intercept + model.radScore.features.reduce(0.0) { s, f in
                s + f.coefficient * (r.features[Self.table.featureNames.firstIndex(of: f.name)!] - f.mean) / f.sd
            }
        }
        let y = training.map { $0.her2! ? 1.0 : 0.0 }
        let x = Matrix(zip(rad, training).map { [$0, $1.tumourSizeMm, Double($1.kineticType), $1.peritumoralEdema ? 1 : 0,
                                                 $1.lymphNodeInvolvement ? 1 : 0, $1.microcalcifications ? 1 : 0, $1.age] })
        let direct = try LogisticRegression().fit(predictors: x, outcome: y, names: (0..<7).map { "x\($0)" })
        for (a, b) in zip(model.models.combined.coefficients, direct.coefficients) {
            #expect(abs(a.estimate - b.estimate) < 1e-9 * max(1, abs(b.estimate)))
            #expect(abs(a.standardError - b.standardError) < 1e-9 * b.standardError)
        }
        let clinicalX = Matrix((0..<x.rows).map { Array(x.row($0).dropFirst()) })
        let clinical = try LogisticRegression().fit(predictors: clinicalX, outcome: y, names: (0..<6).map { "c\($0)" })
        for (a, b) in zip(model.models.clinical.coefficients, clinical.coefficients) {
            #expect(abs(a.estimate - b.estimate) < 1e-9 * max(1, abs(b.estimate)))
        }
        #expect(model.models.combined.predictors == ["radScore"] + ClinicalPredictors.names)
    }

    /// Youden's J at the model threshold is the maximum over every cut of the training
    /// probabilities, by brute force.
    @Test func thresholdMaximisesYoudenOnTraining() throws {
        let predictor = Predictor(model: model)
        let index = Dictionary(uniqueKeysWithValues: Self.table.featureNames.enumerated().map { ($1, $0) })
        let p = try training.map { r in try predictor.score(studyId: r.studyId, clinical: r.clinicalValues) { index[$0].map { r.features[$0] } }.probability }
        let y = training.map { $0.her2! }
        func j(_ t: Double) -> Double {
            let tp = zip(p, y).filter { $0 >= t && $1 }.count, tn = zip(p, y).filter { $0 < t && !$1 }.count
            return Double(tp) / Double(y.filter { $0 }.count) + Double(tn) / Double(y.filter { !$0 }.count) - 1
        }
        let best = p.map(j).max()!
        #expect(abs(j(model.threshold.probability) - best) < 1e-12)
        #expect(abs(j(model.threshold.probability) - (model.threshold.sensitivity + model.threshold.specificity - 1)) < 1e-12)
    }

    /// Validation AUCs equal ROCAnalysis of the predictor's probabilities on the held-out centre.
    @Test func validationMetricsComeFromThePredictor() throws {
        let predictor = Predictor(model: model)
        let index = Dictionary(uniqueKeysWithValues: Self.table.featureNames.enumerated().map { ($1, $0) })
        let held = Self.table.rows.filter { $0.reader == 1 && $0.centre == "D" }
        let p = try held.map { r in try predictor.score(studyId: r.studyId, clinical: r.clinicalValues) { index[$0].map { r.features[$0] } }.probability }
        let roc = try ROCAnalysis(scores: p, labels: held.map { $0.her2! ? 1 : 0 })
        let v = try #require(model.metrics.validation)
        #expect(v.n == 60)
        #expect(abs(v.models.combined.auc - roc.auc) < 1e-12)
        // The fake deep signal is real: the combined model beats the clinical one on held-out data.
        #expect(v.models.combined.auc > v.models.clinical.auc)
    }

    @Test func sameSeedSameModelBytes() throws {
        var s = TrainingSettings()
        s.validationCentre = "D"
        s.seed = 5
        let again = try Trainer(settings: s).fit(Self.table, context: FakeFeatureTable.context).model
        #expect(again.fileText() == model.fileText())
    }

    @Test func refusals() throws {
        var s = TrainingSettings()
        s.validationCentre = "Z"
        #expect { try Trainer(settings: s).fit(Self.table, context: FakeFeatureTable.context) } throws: {
            "\($0)" == "no study of centre \"Z\" to validate on; the centres are A, B, C, D"
        }
        var rows = Self.table.rows
        rows[4].her2 = nil
        let unlabelled = try FeatureTable(featureNames: Self.table.featureNames, rows: rows)
        #expect { try Trainer().fit(unlabelled, context: FakeFeatureTable.context) } throws: {
            "\($0)".contains("study S0002 has no HER2 label")
        }
        let oneReader = try FeatureTable(featureNames: Self.table.featureNames, rows: Self.table.rows.filter { $0.reader == 1 })
        #expect { try Trainer().fit(oneReader, context: FakeFeatureTable.context) } throws: {
            "\($0)".contains("reader-2 features")
        }
    }
}
