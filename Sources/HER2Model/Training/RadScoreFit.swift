import Biostatistics
import LinearAlgebra

/// Steps 1–3 of the method (see `Trainer`) on one family of feature columns: ICC(2,1) between
/// the two readers on the training studies keeps the reproducible features (Shrout & Fleiss
/// 1979; McGraw & Wong 1996), they are standardised (training mean, sd with n − 1), and a
/// cross-validated LASSO-logistic (Friedman, Hastie & Tibshirani 2010, as cv.glmnet) gives the
/// rad-score at λ_1se (or λ_min, with the documented fallbacks). Run once on the deep columns
/// (the study's rad-score) and, with the radiomics family, once more on the radiomics columns
/// (the handcrafted baseline's score) — the same rules, separately.
struct RadScoreFit: Sendable {
    let radScore: ModelArtifact.RadScore
    let selection: ModelArtifact.FeatureSelection

    /// - Parameters:
    ///   - columns: the table's feature columns of this family, in table order.
    ///   - family: "deep" or "radiomics", for messages.
    static func fit(_ table: FeatureTable, columns family: [Int], training: [FeatureTable.Row], outcome y: [Double],
                    settings: TrainingSettings, family name: String) throws -> RadScoreFit {
        let p = family.count
        guard p > 0 else { throw HER2ModelError.trainingFailed("the feature table has no \(name)-feature columns") }
        var diagnostics = [String]()
        // Columns with a value that is not finite (radiomics' documented NaN cases) cannot enter.
        let second = Dictionary(table.rows.filter { $0.reader == 2 }.map { ($0.studyId, $0) }, uniquingKeysWith: { a, _ in a })
        let finite = family.filter { j in table.rows.allSatisfy { $0.features[j].isFinite } }
        if finite.count < p {
            diagnostics.append("\(p - finite.count) \(name) feature(s) with a non-finite value in some study left out before the ICC filter")
        }

        // 1. ICC on training studies read twice.
        let paired = training.compactMap { r in second[r.studyId].map { (r, $0) } }
        guard paired.count >= 2 else {
            throw HER2ModelError.trainingFailed("only \(paired.count) training studies have reader-2 features; the ICC filter needs at least 2 (tumor_mask_reader2 or the perturbed mask)")
        }
        var kept = [Int]()
        if !finite.isEmpty {
            var a = Matrix(rows: paired.count, columns: finite.count), b = Matrix(rows: paired.count, columns: finite.count)
            for (i, (r1, r2)) in paired.enumerated() {
                for (k, j) in finite.enumerated() { a[i, k] = r1.features[j]; b[i, k] = r2.features[j] }
            }
            let iccs = try IntraclassCorrelation().fit(first: a, second: b)
            for (k, j) in finite.enumerated() where iccs[k].icc21.isFinite && iccs[k].icc21 >= settings.iccThreshold { kept.append(j) }
        }

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
            throw HER2ModelError.trainingFailed("no \(name) feature reaches ICC(2,1) ≥ \(settings.iccThreshold) between the two readers (of \(p)); potential fix: check the reader-2 masks or lower the ICC threshold")
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
        diagnostics += cv.diagnostics + cv.path.diagnostics
        var lambda = settings.lambdaRule == .minimum ? cv.lambdaMin : cv.lambda1se
        var fit = cv.path.coefficients(at: lambda)
        if !fit.beta.contains(where: { $0 != 0 }) && settings.lambdaRule == .oneStandardError {
            diagnostics.append("lambda.1se (\(lambda)) selects no feature; the rad-score uses lambda.min (\(cv.lambdaMin))")
            lambda = cv.lambdaMin
            fit = cv.path.coefficients(at: lambda)
        }
        if !fit.beta.contains(where: { $0 != 0 }),
           let first = cv.path.coefficients.firstIndex(where: { $0.contains { $0 != 0 } }) {
            // No λ beats the null model in cross-validation: the features carry no signal the
            // LASSO can find. Keep the chain usable (seeded weights, demonstrations) with the
            // first feature(s) to enter the path, and say so.
            lambda = cv.path.lambdas[first]
            fit = cv.path.coefficients(at: lambda)
            diagnostics.append("no λ improves the cross-validated deviance over the null model: the \(name) features carry no detectable signal; the rad-score uses the first feature(s) to enter the LASSO path (λ = \(lambda))")
        }
        let selected = fit.beta.indices.filter { fit.beta[$0] != 0 }
        guard !selected.isEmpty else {
            throw HER2ModelError.trainingFailed("the cross-validated LASSO selects no \(name) feature (\(columns.count) after the ICC filter): the \(name) features carry no signal the LASSO can use on these \(n) studies")
        }
        let features = selected.map {
            ModelArtifact.SelectedFeature(name: table.featureNames[columns[$0]], mean: means[$0], sd: sds[$0], coefficient: fit.beta[$0])
        }
        return RadScoreFit(
            radScore: .init(intercept: fit.intercept, features: features),
            selection: .init(iccForm: "ICC(2,1)", iccThreshold: settings.iccThreshold, iccStudies: paired.count,
                             featuresIn: p, featuresAfterICC: columns.count, folds: settings.foldIDs?.max() ?? settings.folds,
                             seed: String(settings.seed), lambdaRule: settings.lambdaRule.rawValue, lambda: lambda,
                             lambdaMin: cv.lambdaMin, lambda1se: cv.lambda1se, diagnostics: diagnostics))
    }
}

extension ModelArtifact.RadScore {
    /// The rad-score of one row: intercept + Σ coefficientⱼ · (xⱼ − meanⱼ) / sdⱼ, features looked
    /// up by name in the table's order.
    func score(_ row: FeatureTable.Row, index: [String: Int]) -> Double {
        var s = intercept
        for f in features { s += f.coefficient * (row.features[index[f.name]!] - f.mean) / f.sd }
        return s
    }
}
