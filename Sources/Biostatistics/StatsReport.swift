import Foundation
import Support
import LinearAlgebra

/// The statistics of `her2mri stats`, from a CSV table to a JSON report, so the command line
/// only parses arguments and prints. Keys are fixed (they are the command's contract); the
/// outcome column holds 0/1 with 1 the positive class. Diagnostics come back beside the JSON.
public enum StatsReport {
    /// A report and the surprises met while making it.
    public struct Output: Sendable {
        public let json: JSONValue
        public let diagnostics: [String]
    }

    /// ROC of one or two scores, with DeLong's paired test when there are two.
    /// Keys: models[{score, auc, variance, ci95, youden{threshold, sensitivity, specificity}}], delongTest{z, p}.
    public static func roc(_ table: DataTable, label: String, scores: [String]) throws -> Output {
        guard (1...2).contains(scores.count) else { throw BiostatisticsError.invalidArgument("give one or two --score columns") }
        let y = try table.numeric(label)
        let analyses = try scores.map { try ROCAnalysis(scores: try table.numeric($0), labels: y) }
        var models = [JSONValue]()
        for (name, r) in zip(scores, analyses) {
            models.append(.object([
                ("score", .string(name)), ("auc", .number(r.auc)), ("variance", .number(r.variance)),
                ("ci95", .numbers([r.ci.lower, r.ci.upper])),
                ("youden", .object([("threshold", .number(r.youden.threshold)),
                                    ("sensitivity", .number(r.youden.sensitivity)),
                                    ("specificity", .number(r.youden.specificity))])),
            ]))
        }
        var top: [(String, JSONValue)] = [("models", .array(models))]
        if analyses.count == 2 {
            let t = try analyses[0].compare(with: analyses[1])
            top.append(("delongTest", .object([("z", .number(t.z)), ("p", .number(t.p))])))
        }
        return Output(json: .object(top), diagnostics: [])
    }

    /// Cross-validated LASSO-logistic path; every column but the label and the fold column is a feature.
    /// Keys: lambda, cvm, cvsd, lambdaMin, lambda1se, coefficients{lambdaMin, lambda1se, at[{lambda, coefficients}]}.
    public static func lasso(_ table: DataTable, label: String, foldColumn: String?, folds: Int, seed: UInt64,
                             lambdas: [Double], settings: LassoLogisticSettings = LassoLogisticSettings()) throws -> Output {
        let y = try table.numeric(label)
        if let f = foldColumn { _ = try table.index(of: f) }
        let names = table.names.filter { $0 != label && $0 != foldColumn }
        guard !names.isEmpty else { throw BiostatisticsError.invalidArgument("\(table.path): no feature columns") }
        let cols = try names.map { try table.numeric($0) }
        let n = table.rowCount
        let x = Matrix(rows: n, columns: names.count, elements: (0..<n).flatMap { i in cols.map { $0[i] } })
        let assignment: FoldAssignment
        if let f = foldColumn {
            let ids = try table.numeric(f)
            guard ids.allSatisfy({ $0 == $0.rounded() }) else {
                throw BiostatisticsError.invalidArgument("\(table.path): fold column \"\(f)\" must hold whole numbers 1…K")
            }
            assignment = .given(ids.map { Int($0) })
        } else {
            assignment = .seeded(folds: folds, seed: seed)
        }
        let cv = try LassoLogistic(settings: settings).crossValidate(x: x, outcome: y, folds: assignment)
        func coefs(_ lambda: Double) -> JSONValue {
            let c = cv.path.coefficients(at: lambda)
            var o: [(String, JSONValue)] = [("(Intercept)", .number(c.intercept))]
            for (name, b) in zip(names, c.beta) where b != 0 { o.append((name, .number(b))) }
            return .object(o)
        }
        let at = lambdas.map { JSONValue.object([("lambda", .number($0)), ("coefficients", coefs($0))]) }
        let json = JSONValue.object([
            ("lambda", .numbers(cv.path.lambdas)), ("cvm", .numbers(cv.cvm)), ("cvsd", .numbers(cv.cvsd)),
            ("lambdaMin", .number(cv.lambdaMin)), ("lambda1se", .number(cv.lambda1se)),
            ("coefficients", .object([("lambdaMin", coefs(cv.lambdaMin)), ("lambda1se", coefs(cv.lambda1se)),
                                      ("at", .array(at))])),
        ])
        return Output(json: json, diagnostics: cv.diagnostics)
    }

    /// ICC(2,1) and ICC(3,1) of every column X that has a second rating X+suffix.
    /// Keys: features[{name, icc21, ci21, icc31, ci31}].
    public static func icc(_ table: DataTable, secondSuffix: String, settings: ICCSettings = ICCSettings()) throws -> Output {
        guard !secondSuffix.isEmpty else { throw BiostatisticsError.invalidArgument("the second-rating suffix must not be empty") }
        let names = table.names.filter { !$0.hasSuffix(secondSuffix) && table.names.contains($0 + secondSuffix) }
        guard !names.isEmpty else {
            throw BiostatisticsError.invalidArgument("\(table.path): no column X with a second rating X\(secondSuffix)")
        }
        let n = table.rowCount
        let a = try names.map { try table.numeric($0) }, b = try names.map { try table.numeric($0 + secondSuffix) }
        let first = Matrix(rows: n, columns: names.count, elements: (0..<n).flatMap { i in a.map { $0[i] } })
        let second = Matrix(rows: n, columns: names.count, elements: (0..<n).flatMap { i in b.map { $0[i] } })
        let results = try IntraclassCorrelation(settings: settings).fit(first: first, second: second)
        var diagnostics = [String]()
        let features = zip(names, results).map { name, r -> JSONValue in
            diagnostics += r.diagnostics.map { "\(name): \($0)" }
            return .object([("name", .string(name)), ("icc21", .number(r.icc21)), ("ci21", .numbers([r.ci21.lower, r.ci21.upper])),
                            ("icc31", .number(r.icc31)), ("ci31", .numbers([r.ci31.lower, r.ci31.upper]))])
        }
        return Output(json: .object([("features", .array(features))]), diagnostics: diagnostics)
    }

    /// Logistic regression of the label on the named predictors, and its nomogram scales.
    /// Keys: coefficients[{name, estimate, se, z, p, oddsRatio, ci95}], nomogram{pointsPerUnit, totalPointsToProbability}.
    public static func logit(_ table: DataTable, label: String, predictors: [String]) throws -> Output {
        guard !predictors.isEmpty else { throw BiostatisticsError.invalidArgument("give at least one predictor") }
        let y = try table.numeric(label)
        let cols = try predictors.map { try table.numeric($0) }
        let n = table.rowCount
        let x = Matrix(rows: n, columns: predictors.count, elements: (0..<n).flatMap { i in cols.map { $0[i] } })
        let m = try LogisticRegression().fit(predictors: x, outcome: y, names: predictors)
        let coefficients = m.coefficients.map { c in
            JSONValue.object([("name", .string(c.name)), ("estimate", .number(c.estimate)), ("se", .number(c.standardError)),
                              ("z", .number(c.z)), ("p", .number(c.p)), ("oddsRatio", .number(c.oddsRatio)),
                              ("ci95", .numbers([c.oddsRatioCI.lower, c.oddsRatioCI.upper]))])
        }
        let e = m.estimates
        let nom = try Nomogram(intercept: e[0], coefficients: Array(e.dropFirst()), names: predictors, data: x)
        let ppu = JSONValue.object(nom.axes.map { ($0.name, .number($0.pointsPerUnit)) })
        let curve = JSONValue.array(nom.totalPointsTicks.map { .numbers([$0, nom.probability(totalPoints: $0)]) })
        let json = JSONValue.object([("coefficients", .array(coefficients)),
                                     ("nomogram", .object([("pointsPerUnit", ppu), ("totalPointsToProbability", curve)]))])
        return Output(json: json, diagnostics: m.diagnostics)
    }

    /// Calibration of a probability column. Keys: hosmerLemeshow{chi2, df, p}, brier, intercept, slope, eavg, emax, e90.
    public static func calibration(_ table: DataTable, label: String, probability: String) throws -> Output {
        let c = try CalibrationAnalysis(probabilities: try table.numeric(probability), outcome: try table.numeric(label))
        let hl = c.hosmerLemeshow
        let json = JSONValue.object([
            ("hosmerLemeshow", .object([("chi2", .number(hl.chi2)), ("df", .integer(hl.df)), ("p", .number(hl.p))])),
            ("brier", .number(c.brier)), ("intercept", .number(c.intercept)), ("slope", .number(c.slope)),
            ("eavg", .number(c.eavg)), ("emax", .number(c.emax)), ("e90", .number(c.e90)),
        ])
        return Output(json: json, diagnostics: c.diagnostics)
    }

    /// Decision curves of a probability column. Keys: thresholds, netBenefit{model, all, none}.
    public static func dca(_ table: DataTable, label: String, probability: String) throws -> Output {
        let d = try DecisionCurve(probabilities: try table.numeric(probability), outcome: try table.numeric(label))
        let json = JSONValue.object([
            ("thresholds", .numbers(d.thresholds)),
            ("netBenefit", .object([("model", .numbers(d.model)), ("all", .numbers(d.all)), ("none", .numbers(d.none))])),
        ])
        return Output(json: json, diagnostics: [])
    }
}
