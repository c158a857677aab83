import Foundation
import Testing
@testable import HER2Model

/// Training on a small table against R: ICC(2,1) by the mean squares, standardisation,
/// cv.glmnet (same fold ids, thresh 1e-20) at lambda.1se, glm for the three models (coefficients
/// and vcov), pROC AUCs with DeLong intervals and roc.test, pROC's Youden threshold, and
/// predict.glm(se.fit = TRUE) intervals on the held-out centre.
/// Fixture: fixtures/training/ made by tools/training/make_fixture.R (R 4.2.2, glmnet 4.1-6, pROC 1.18.0).
@Suite struct TrainingReferenceTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fixtures/training")
    nonisolated(unsafe) static let reference = try! JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("reference.json"))) as! [String: Any]
    static let table = try! FeatureTable.read(path: folder.appendingPathComponent("features.csv").path)
    static let model: ModelArtifact = {
        var s = TrainingSettings()
        s.validationCentre = "D"
        s.foldIDs = (reference["foldIDs"] as! [NSNumber]).map(\.intValue)
        s.lassoThreshold = 1e-20
        return try! Trainer(settings: s).fit(table, context: FakeFeatureTable.context).model
    }()

    func close(_ a: Double, _ b: Double, _ rel: Double, _ what: String) {
        #expect(abs(a - b) <= rel * max(1, abs(b)), "\(what): ours \(a), R \(b)")
    }
    func numbers(_ any: Any?) -> [Double] { (any as! [NSNumber]).map(\.doubleValue) }

    @Test func iccFilterAndStandardisation() {
        let r = Self.reference, m = Self.model
        #expect(m.featureSelection.featuresAfterICC == (r["kept"] as! [String]).count)
        let means = r["means"] as! [String: NSNumber], sds = r["sds"] as! [String: NSNumber]
        for f in m.radScore.features {
            close(f.mean, means[f.name]!.doubleValue, 1e-12, "mean \(f.name)")
            close(f.sd, sds[f.name]!.doubleValue, 1e-12, "sd \(f.name)")
        }
    }

    @Test func lassoRadScoreMatchesCvGlmnet() {
        let r = Self.reference, m = Self.model
        close(m.featureSelection.lambda1se, (r["lambda1se"] as! NSNumber).doubleValue, 1e-6, "lambda.1se")
        close(m.featureSelection.lambdaMin, (r["lambdaMin"] as! NSNumber).doubleValue, 1e-6, "lambda.min")
        let rad = r["radScore"] as! [String: Any]
        close(m.radScore.intercept, (rad["intercept"] as! NSNumber).doubleValue, 1e-5, "rad-score intercept")
        let coefficients = (rad["coefficients"] as! [String: NSNumber]).filter { $0.value.doubleValue != 0 }
        #expect(Set(m.radScore.features.map(\.name)) == Set(coefficients.keys))
        for f in m.radScore.features { close(f.coefficient, coefficients[f.name]!.doubleValue, 1e-5, "β \(f.name)") }
    }

    @Test func logisticModelsMatchGlm() {
        let r = Self.reference, m = Self.model
        for (name, ours) in [("clinical", m.models.clinical), ("deep", m.models.deep), ("combined", m.models.combined)] {
            let ref = r[name] as! [String: Any]
            let coef = numbers(ref["coef"])
            for (a, b) in zip(ours.coefficients.map(\.estimate), coef) { close(a, b, 1e-5, "\(name) coefficient") }
            let vcov = (ref["vcov"] as! [[NSNumber]]).map { $0.map(\.doubleValue) }
            for i in 0..<vcov.count { for j in 0..<vcov.count { close(ours.covariance[i][j], vcov[i][j], 1e-4, "\(name) vcov[\(i),\(j)]") } }
        }
    }

    @Test func metricsMatchPROC() {
        let r = Self.reference, m = Self.model
        for (split, ours) in [("training", m.metrics.training), ("validation", m.metrics.validation!)] {
            let ref = r[split] as! [String: Any]
            #expect(ours.n == (ref["n"] as! NSNumber).intValue)
            let models = ref["models"] as! [String: [String: Any]]
            for (name, a) in [("clinical", ours.models.clinical), ("deep", ours.models.deep), ("combined", ours.models.combined)] {
                close(a.auc, (models[name]!["auc"] as! NSNumber).doubleValue, 1e-6, "\(split) \(name) AUC")
                let ci = numbers(models[name]!["ci95"])
                close(a.ci95[0], ci[0], 1e-5, "\(split) \(name) CI low")
                close(a.ci95[1], ci[1], 1e-5, "\(split) \(name) CI high")
            }
            let d = ref["delong"] as! [String: NSNumber]
            close(ours.delongCombinedVsClinical.z, d["z"]!.doubleValue, 1e-4, "\(split) DeLong z")
            close(ours.delongCombinedVsClinical.p, d["p"]!.doubleValue, 1e-4, "\(split) DeLong p")
        }
    }

    @Test func youdenThresholdMatchesPROC() {
        let t = Self.reference["threshold"] as! [String: NSNumber]
        close(Self.model.threshold.probability, t["probability"]!.doubleValue, 1e-6, "threshold")
        close(Self.model.threshold.sensitivity, t["sensitivity"]!.doubleValue, 1e-12, "sensitivity")
        close(Self.model.threshold.specificity, t["specificity"]!.doubleValue, 1e-12, "specificity")
    }

    @Test func predictionIntervalsMatchPredictGlmSeFit() throws {
        let ref = Self.reference["validationCI"] as! [String: Any]
        let lower = numbers(ref["lower"]), upper = numbers(ref["upper"]), p = numbers(ref["probability"])
        let ids = Self.reference["validationStudies"] as! [String]
        let index = Dictionary(uniqueKeysWithValues: Self.table.featureNames.enumerated().map { ($1, $0) })
        for (k, id) in ids.enumerated() {
            let row = Self.table.rows.first { $0.studyId == id && $0.reader == 1 }!
            let s = try Predictor(model: Self.model).score(studyId: id, clinical: row.clinicalValues) { index[$0].map { row.features[$0] } }
            close(s.probability, p[k], 1e-5, "\(id) probability")
            close(s.ci95[0], lower[k], 1e-5, "\(id) CI low")
            close(s.ci95[1], upper[k], 1e-5, "\(id) CI high")
        }
    }
}
