import Foundation
import Biostatistics
import Support

/// `cohort_metrics.json`: every number the cohort PDFs draw, with ordered keys (NaN and ±∞ as
/// null). Schema `her2mri.cohort_metrics/1`.
extension CohortAnalysis {
    public func metricsJSON(source: String) -> JSONValue {
        func num(_ v: Double) -> JSONValue { .number(v) }
        func nums(_ v: [Double]) -> JSONValue { .numbers(v) }
        var modelObjects = [(String, JSONValue)]()
        for m in models {
            let r = m.roc, cal = m.calibration, oc = m.corrected, dc = m.decision
            let roc: JSONValue = .object([
                ("auc", num(r.auc)), ("variance", num(r.variance)), ("ciLower", num(r.ci.lower)), ("ciUpper", num(r.ci.upper)),
                ("positives", .integer(r.positives)), ("negatives", .integer(r.negatives)),
                ("youden", .object([("threshold", num(r.youden.threshold)), ("sensitivity", num(r.youden.sensitivity)),
                                    ("specificity", num(r.youden.specificity)), ("ppv", num(r.youden.ppv)), ("npv", num(r.youden.npv))])),
                ("curve", .object([("threshold", nums(r.curve.map { $0.threshold })), ("sensitivity", nums(r.curve.map { $0.sensitivity })),
                                   ("specificity", nums(r.curve.map { $0.specificity }))])),
            ])
            let hl = cal.hosmerLemeshow
            let calibration: JSONValue = .object([
                ("brier", num(cal.brier)), ("intercept", num(cal.intercept)), ("slope", num(cal.slope)),
                ("eavg", num(cal.eavg)), ("emax", num(cal.emax)), ("e90", num(cal.e90)),
                ("spiegelhalterZ", num(cal.spiegelhalterZ)), ("spiegelhalterP", num(cal.spiegelhalterP)),
                ("hosmerLemeshow", .object([("chi2", num(hl.chi2)), ("df", .integer(hl.df)), ("p", num(hl.p))])),
                ("groups", .object([("predicted", nums(cal.binned.map { $0.predicted })), ("observed", nums(cal.binned.map { $0.observed })),
                                    ("count", .array(cal.binned.map { .integer($0.count) }))])),
                ("curve", .object([("recalibrated", nums(oc.predicted)),
                                   ("predicted", nums(CalibrationChart.originalScale(oc.predicted, intercept: cal.intercept, slope: cal.slope))), ("apparent", nums(oc.apparent)), ("optimism", nums(oc.optimism)),
                                   ("corrected", nums(oc.corrected)), ("replicates", .integer(oc.replicates)), ("failed", .integer(oc.failed))])),
                ("clampedProbabilities", .integer(m.clamped)),
                ("diagnostics", .array(cal.diagnostics.map { .string($0) })),
            ])
            let decision: JSONValue = .object([("netBenefit", nums(dc.model)), ("interventionsAvoidedPer100", nums(dc.interventionsAvoidedPer100))])
            modelObjects.append((m.name, .object([("roc", roc), ("calibration", calibration), ("decisionCurve", decision)])))
        }
        var top: [(String, JSONValue)] = [
            ("schema", .string("her2mri.cohort_metrics/1")),
            ("source", .string(source)),
            ("n", .integer(n)), ("positives", .integer(positives)), ("negatives", .integer(n - positives)),
            ("prevalence", num(prevalence)),
            ("settings", .object([("bootstrapReplicates", .integer(settings.bootstrapReplicates)), ("seed", .integer(Int(settings.seed))),
                                  ("level", num(settings.level)), ("hosmerLemeshowGroups", .integer(settings.groups)),
                                  ("logitClamp", num(CohortAnalysis.logitClamp))])),
            ("modelOrder", .array(models.map { .string($0.name) })),
            ("models", .object(modelObjects)),
            ("delong", .array(pairs.map { p in
                .object([("a", .string(p.a)), ("b", .string(p.b)), ("difference", num(p.test.difference)),
                         ("varianceOfDifference", num(p.test.varianceOfDifference)), ("z", num(p.test.z)), ("p", num(p.test.p))])
            })),
        ]
        if let first = models.first?.decision {
            top.append(("decisionCurveReference", .object([("thresholds", nums(first.thresholds)), ("treatAll", nums(first.all)), ("treatNone", nums(first.none))])))
        }
        if let t1 = table1 {
            top.append(("table1", .object([
                ("positives", .integer(t1.positives)), ("negatives", .integer(t1.negatives)),
                ("rows", .array(t1.rows.map { r in
                    .object([("variable", .string(r.variable)), ("level", .string(r.level)), ("positive", .string(r.positive)),
                             ("negative", .string(r.negative)), ("p", r.p.map { .number($0) } ?? .null), ("test", .string(r.test))])
                })),
            ])))
        }
        return .object(top)
    }
}

/// Number formatting shared by the documents.
enum Format {
    /// "p = 0.034", "p < 0.001".
    static func p(_ v: Double) -> String {
        guard v.isFinite else { return "p = n/a" }
        return v < 0.001 ? "p < 0.001" : String(format: "p = %.3f", v)
    }
    static func f(_ v: Double, _ d: Int = 3) -> String { v.isFinite ? String(format: "%.\(d)f", v) : "n/a" }
}
