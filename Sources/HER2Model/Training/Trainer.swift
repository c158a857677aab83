import Biostatistics
import Foundation
import LinearAlgebra

/// What the model records beyond the fit: where features came from and how they were made.
public struct TrainingContext: Sendable, Equatable {
    public var backbones: [ModelArtifact.BackboneRecord]
    public var preprocessing: [String: String]
    /// "cohort" or "featureTable".
    public var featureSource: String
    /// SHA-256 of the inputs (`sha256:<hex>`).
    public var inputHash: String
    /// Trained on synthetic studies.
    public var demonstrationModel: Bool
    /// ISO 8601 UTC creation time (not part of the content hash).
    public var createdAt: String

    public init(backbones: [ModelArtifact.BackboneRecord], preprocessing: [String: String], featureSource: String,
                inputHash: String, demonstrationModel: Bool, createdAt: String) {
        self.backbones = backbones
        self.preprocessing = preprocessing
        self.featureSource = featureSource
        self.inputHash = inputHash
        self.demonstrationModel = demonstrationModel
        self.createdAt = createdAt
    }
}

/// Fits the method of the study on a feature table (DESIGN.md, "Data flow"):
/// 1. ICC(2,1) between reader 1 and reader 2 on the training studies (Shrout & Fleiss 1979;
///    McGraw & Wong 1996) keeps features with ICC ≥ `iccThreshold`;
/// 2. kept features are standardised with the training mean and sd (n − 1);
/// 3. LASSO-logistic with K-fold cross-validation (Friedman, Hastie & Tibshirani 2010, as
///    cv.glmnet) gives the rad-score = LASSO linear predictor at λ_1se (Hastie, Tibshirani &
///    Friedman, ESL 2nd ed. §7.10: the sparsest model within one SE of the best CV deviance —
///    the rad-score is refitted inside the combined model on the same patients, so the sparser
///    score carries less optimism into it), falling back to λ_min when λ_1se selects nothing;
/// 4. three maximum-likelihood logistic models: clinical, deep (rad-score alone), combined
///    (rad-score + clinical);
/// 5. the combined model's nomogram (Harrell's rms::nomogram scales);
/// 6. the decision threshold: Youden's J on the training set's combined probabilities (the
///    midpoint between adjacent distinct probabilities, pROC's convention) — a training-set
///    choice, so validation sensitivity and specificity at it are the honest figures;
/// 7. AUC with DeLong intervals for the three models and DeLong's paired test combined vs
///    clinical, on the training studies and on the held-out centre.
public struct Trainer: Sendable {
    public let settings: TrainingSettings

    public init(settings: TrainingSettings = TrainingSettings()) { self.settings = settings }

    /// The model and the summary written beside it.
    public struct Outcome: Sendable {
        public let model: ModelArtifact
        public let summary: TrainingSummary
    }

    /// Fits on `table` (reader-1 rows train; reader-2 rows only feed the ICC).
    public func fit(_ table: FeatureTable, context: TrainingContext) throws -> Outcome {
        guard settings.folds >= 3 else { throw HER2ModelError.invalidArgument("--folds must be at least 3, got \(settings.folds)") }
        guard settings.iccThreshold > -1 && settings.iccThreshold <= 1 else {
            throw HER2ModelError.invalidArgument("the ICC threshold must lie in (−1, 1], got \(settings.iccThreshold)")
        }
        // Split studies.
        let first = table.rows.filter { $0.reader == 1 }
        let centres = Set(first.map(\.centre))
        if let v = settings.validationCentre, !centres.contains(v) {
            throw HER2ModelError.invalidArgument("no study of centre \"\(v)\" to validate on; the centres are \(centres.sorted().joined(separator: ", "))")
        }
        let training = first.filter { $0.centre != settings.validationCentre }
        let validation = first.filter { $0.centre == settings.validationCentre }
        for r in training + validation where r.her2 == nil {
            throw HER2ModelError.trainingFailed("study \(r.studyId) has no HER2 label; potential fix: give --labels labels.csv or her2 in study.json")
        }
        let y = training.map { $0.her2! ? 1.0 : 0.0 }
        let positives = y.filter { $0 == 1 }.count
        guard positives >= 3 && training.count - positives >= 3 else {
            throw HER2ModelError.trainingFailed("the training studies hold \(positives) HER2-positive and \(training.count - positives) negative; at least 3 of each are needed")
        }
        guard training.count >= settings.folds else {
            throw HER2ModelError.trainingFailed("\(training.count) training studies for \(settings.folds) folds")
        }
        let p = table.featureNames.count
        guard p > 0 else { throw HER2ModelError.trainingFailed("the feature table has no deep-feature columns") }

        // 1. ICC on training studies read twice.
        let second = Dictionary(table.rows.filter { $0.reader == 2 }.map { ($0.studyId, $0) }, uniquingKeysWith: { a, _ in a })
        let paired = training.compactMap { r in second[r.studyId].map { (r, $0) } }
        guard paired.count >= 2 else {
            throw HER2ModelError.trainingFailed("only \(paired.count) training studies have reader-2 features; the ICC filter needs at least 2 (tumor_mask_reader2 or the perturbed mask)")
        }
        var a = Matrix(rows: paired.count, columns: p), b = Matrix(rows: paired.count, columns: p)
        for (i, (r1, r2)) in paired.enumerated() {
            for j in 0..<p { a[i, j] = r1.features[j]; b[i, j] = r2.features[j] }
        }
        let iccs = try IntraclassCorrelation().fit(first: a, second: b)
        a = Matrix(rows: 0, columns: 0); b = a
        var kept = [Int]()
        for j in 0..<p where iccs[j].icc21.isFinite && iccs[j].icc21 >= settings.iccThreshold { kept.append(j) }

        // 2. Standardise (constant columns dropped).
        let n = training.count
        var means = [Double](), sds = [Double](), columns = [Int]()
        for j in kept {
            var m = 0.0
            for r in training { m += r.features[j] }
            m /= Double(n)
            var s = 0.0
            for r in training { s += (r.features[j] - m) * (r.features[j] - m) }
            s = (s / Double(n - 1)).squareRoot()
            if s > 0 && s.isFinite { means.append(m); sds.append(s); columns.append(j) }
        }
        guard !columns.isEmpty else {
            throw HER2ModelError.trainingFailed("no deep feature reaches ICC(2,1) ≥ \(settings.iccThreshold) between the two readers (of \(p)); potential fix: check the reader-2 masks or lower the ICC threshold")
        }
        var z = Matrix(rows: n, columns: columns.count)
        for (i, r) in training.enumerated() {
            for (k, j) in columns.enumerated() { z[i, k] = (r.features[j] - means[k]) / sds[k] }
        }

        // 3. LASSO with cross-validation → rad-score.
        var lassoSettings = LassoLogisticSettings()
        lassoSettings.threshold = settings.lassoThreshold
        let cv = try LassoLogistic(settings: lassoSettings)
            .crossValidate(x: z, outcome: y, folds: settings.foldIDs.map { .given($0) } ?? .seeded(folds: settings.folds, seed: settings.seed))
        var diagnostics = cv.diagnostics + cv.path.diagnostics
        var lambda = settings.lambdaRule == .minimum ? cv.lambdaMin : cv.lambda1se
        var fit = cv.path.coefficients(at: lambda)
        if !fit.beta.contains(where: { $0 != 0 }) && settings.lambdaRule == .oneStandardError {
            diagnostics.append("lambda.1se (\(lambda)) selects no feature; the rad-score uses lambda.min (\(cv.lambdaMin))")
            lambda = cv.lambdaMin
            fit = cv.path.coefficients(at: lambda)
        }
        if !fit.beta.contains(where: { $0 != 0 }),
           let first = cv.path.coefficients.firstIndex(where: { $0.contains { $0 != 0 } }) {
            // No λ beats the null model in cross-validation: the deep features carry no signal
            // the LASSO can find. Keep the chain usable (seeded weights, demonstrations) with
            // the first feature(s) to enter the path, and say so.
            lambda = cv.path.lambdas[first]
            fit = cv.path.coefficients(at: lambda)
            diagnostics.append("no λ improves the cross-validated deviance over the null model: the deep features carry no detectable signal; the rad-score uses the first feature(s) to enter the LASSO path (λ = \(lambda))")
        }
        let selected = fit.beta.indices.filter { fit.beta[$0] != 0 }
        guard !selected.isEmpty else {
            throw HER2ModelError.trainingFailed("the cross-validated LASSO selects no deep feature (\(columns.count) after the ICC filter): the deep features carry no signal the LASSO can use on these \(n) studies")
        }
        let radFeatures = selected.map {
            ModelArtifact.SelectedFeature(name: table.featureNames[columns[$0]], mean: means[$0], sd: sds[$0], coefficient: fit.beta[$0])
        }
        let radScore = ModelArtifact.RadScore(intercept: fit.intercept, features: radFeatures)
        z = Matrix(rows: 0, columns: 0)

        // 4. The three logistic models.
        let index = Dictionary(uniqueKeysWithValues: table.featureNames.enumerated().map { ($1, $0) })
        func rad(_ r: FeatureTable.Row) -> Double {
            var s = radScore.intercept
            for f in radScore.features { s += f.coefficient * (r.features[index[f.name]!] - f.mean) / f.sd }
            return s
        }
        let scores = training.map(rad)
        let clinicalX = Matrix(training.map(\.clinicalValues))
        let deepX = Matrix(scores.map { [$0] })
        let combinedX = Matrix(zip(scores, training).map { [$0] + $1.clinicalValues })
        let names = ClinicalPredictors.names, combinedNames = [ClinicalPredictors.radScore] + names
        let clinical = try Trainer.logistic("clinical model", clinicalX, y, names)
        let deep = try Trainer.logistic("deep model", deepX, y, [ClinicalPredictors.radScore])
        let combined = try Trainer.logistic("combined model", combinedX, y, combinedNames)
        diagnostics += clinical.diagnostics.map { "clinical model: \($0)" } + deep.diagnostics.map { "deep model: \($0)" }
            + combined.diagnostics.map { "combined model: \($0)" }

        // 5. Nomogram of the combined model.
        let est = combined.estimates
        let nomogram = try Nomogram(intercept: est[0], coefficients: Array(est.dropFirst()), names: combinedNames, data: combinedX)

        // 6. Threshold: Youden on the training set.
        let combinedP = (0..<n).map { combined.probability(combinedX.row($0)) }
        let roc = try ROCAnalysis(scores: combinedP, labels: y)
        let threshold = ModelArtifact.Threshold(
            probability: roc.youden.threshold,
            rule: "Youden's J on the training set's combined-model probabilities (midpoint between adjacent distinct values)",
            sensitivity: roc.youden.sensitivity, specificity: roc.youden.specificity)

        var model = ModelArtifact(
            schemaVersion: ModelArtifact.currentSchemaVersion, contentHash: "", createdAt: context.createdAt,
            demonstrationModel: context.demonstrationModel,
            trainedOn: .init(studies: n, centres: Set(training.map(\.centre)).sorted(), positives: positives,
                             negatives: n - positives, validationCentre: settings.validationCentre,
                             validationStudies: validation.count, featureSource: context.featureSource,
                             inputHash: context.inputHash),
            preprocessing: context.preprocessing, backbones: context.backbones,
            featureSelection: .init(iccForm: "ICC(2,1)", iccThreshold: settings.iccThreshold, iccStudies: paired.count,
                                    featuresIn: p, featuresAfterICC: columns.count, folds: settings.foldIDs?.max() ?? settings.folds,
                                    seed: String(settings.seed), lambdaRule: settings.lambdaRule.rawValue, lambda: lambda,
                                    lambdaMin: cv.lambdaMin, lambda1se: cv.lambda1se, diagnostics: diagnostics),
            radScore: radScore,
            models: .init(clinical: Trainer.record(clinical, names), deep: Trainer.record(deep, [ClinicalPredictors.radScore]),
                          combined: Trainer.record(combined, combinedNames)),
            nomogram: Trainer.record(nomogram),
            threshold: threshold,
            metrics: .init(training: try Trainer.metrics(clinical: training.map { clinical.linearPredictor($0.clinicalValues) },
                                                         deep: scores.map { deep.linearPredictor([$0]) }, combined: combinedP, labels: y),
                           validation: nil))
        // 7. Validation through the predictor, exactly as `predict` will score a study.
        if !validation.isEmpty {
            let predictor = Predictor(model: model)
            var c = [Double](), d = [Double](), m = [Double]()
            for r in validation {
                let s = try predictor.score(studyId: r.studyId, clinical: r.clinicalValues) { index[$0].map { r.features[$0] } }
                c.append(s.clinicalLinearPredictor); d.append(s.deepLinearPredictor); m.append(s.linearPredictor)
            }
            let labels = validation.map { $0.her2! ? 1.0 : 0.0 }
            model.metrics.validation = try Trainer.labelled("validation on centre \(settings.validationCentre!)") {
                try Trainer.metrics(clinical: c, deep: d, combined: m, labels: labels)
            }
        }
        model = model.sealed()
        let summary = TrainingSummary(model: model, fits: [("clinical", clinical), ("deep", deep), ("combined", combined)])
        return Outcome(model: model, summary: summary)
    }

    /// AUCs (any monotone score gives the same AUC as its probability) and the paired test.
    static func metrics(clinical: [Double], deep: [Double], combined: [Double], labels: [Double]) throws -> ModelArtifact.SplitMetrics {
        let rc = try ROCAnalysis(scores: clinical, labels: labels)
        let rd = try ROCAnalysis(scores: deep, labels: labels)
        let rm = try ROCAnalysis(scores: combined, labels: labels)
        func auc(_ r: ROCAnalysis) -> ModelArtifact.AUC { .init(auc: r.auc, ci95: [r.ci.lower, r.ci.upper]) }
        let t = try rm.compare(with: rc)
        return .init(n: labels.count, positives: labels.filter { $0 == 1 }.count,
                     models: .init(clinical: auc(rc), deep: auc(rd), combined: auc(rm)),
                     delongCombinedVsClinical: .init(z: t.z, p: t.p))
    }

    static func record(_ m: LogisticModel, _ names: [String]) -> ModelArtifact.Logistic {
        let k = m.coefficients.count
        return .init(predictors: names,
                     coefficients: m.coefficients.map { .init(name: $0.name, estimate: $0.estimate, standardError: $0.standardError) },
                     covariance: (0..<k).map { m.covariance.row($0) })
    }

    static func record(_ n: Nomogram) -> ModelArtifact.NomogramScales {
        .init(scale: n.scale, linearPredictorAtZero: n.linearPredictorAtZero,
              axes: n.axes.map { .init(name: $0.name, values: $0.values, points: $0.points,
                                       pointsPerUnit: $0.pointsPerUnit, minimumEffect: $0.minimumEffect) },
              totalPointsTicks: n.totalPointsTicks,
              probabilityTicks: n.probabilityTicks.map { .init(probability: $0.probability, points: $0.points) })
    }

    /// Maximum likelihood, as the study fitted its models; when the training studies separate
    /// perfectly (small cohorts do, and the ML estimates then diverge) Firth's penalised
    /// likelihood instead, which stays finite — said in the model's diagnostics, never silently.
    static func logistic(_ step: String, _ x: Matrix, _ y: [Double], _ names: [String]) throws -> LogisticModel {
        try labelled(step) {
            do {
                return try LogisticRegression().fit(predictors: x, outcome: y, names: names)
            } catch BiostatisticsError.perfectSeparation(let detail) {
                let firth = try FirthLogisticRegression().fit(predictors: x, outcome: y, names: names)
                return firth.noting("perfect separation under maximum likelihood (\(detail)): fitted by Firth's penalised likelihood instead")
            }
        }
    }

    /// Runs a statistics step, naming it in a failure.
    static func labelled<T>(_ step: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as BiostatisticsError {
            throw HER2ModelError.trainingFailed("\(step): \(e)")
        }
    }
}
