import Biostatistics
import Support
import Foundation

/// `training_summary.json`, written beside model.json: for people and the cohort report — the
/// discrimination of the three models on the training and validation studies, the selected
/// features and every coefficient with its standard error, odds ratio and Wald p-value.
///
/// Shape: `{"modelHash", "training": split, "validation": split | null, "threshold",
/// "featureSelection", "selectedFeatures": [{"name","coefficient","mean","sd"}],
/// "radScoreIntercept", "coefficients": {"clinical"|"deep"|"combined": [{"name","estimate",
/// "standardError","oddsRatio","p"}]}}` where split is
/// `{"n","positives","models":{"clinical"|"deep"|"combined":{"auc","ci95":[lo,hi]}},"delongCombinedVsClinical":{"z","p"}}`.
///
/// With the radiomics family (`RadiomicsBaseline`): each split's `models` gains `"radiomics"`
/// and the split gains `"delongDeepVsRadiomics":{"z","p"}` (deep minus radiomics) after
/// `delongCombinedVsClinical`; `coefficients` gains `"radiomics"`; and a top-level
/// `"radiomics": {"featureSelection", "selectedFeatures", "radScoreIntercept"}` says how its
/// rad-score was made. Without it the summary is as before.
public struct TrainingSummary: Sendable {
    /// The summary as ordered JSON.
    public let json: JSONValue

    init(model: ModelArtifact, fits: [(String, LogisticModel)], radiomics: RadiomicsBaseline? = nil) {
        let m = model.jsonValue()
        func field(_ key: String, _ object: JSONValue) -> JSONValue {
            if case let .object(pairs) = object, let v = pairs.first(where: { $0.0 == key }) { return v.1 }
            return .null
        }
        let metrics = field("metrics", m)
        func auc(_ a: ModelArtifact.AUC) -> JSONValue { .object([("auc", .number(a.auc)), ("ci95", .numbers(a.ci95))]) }
        /// A split with the radiomics model's AUC and the deep-vs-radiomics test added.
        func split(_ name: String) -> JSONValue {
            let base = field(name, metrics)
            guard let radiomics, case let .object(pairs) = base,
                  let r = name == "training" ? radiomics.training : radiomics.validation else { return base }
            var out = [(String, JSONValue)]()
            for (key, value) in pairs {
                if key == "models", case let .object(models) = value {
                    out.append((key, .object(models + [("radiomics", auc(r.auc))])))
                } else {
                    out.append((key, value))
                }
                if key == "delongCombinedVsClinical" {
                    out.append(("delongDeepVsRadiomics", .object([("z", .number(r.delongDeepVsRadiomics.z)),
                                                                  ("p", .number(r.delongDeepVsRadiomics.p))])))
                }
            }
            return .object(out)
        }
        func coefficients(_ fit: LogisticModel) -> JSONValue {
            .array(fit.coefficients.map {
                .object([("name", .string($0.name)), ("estimate", .number($0.estimate)),
                         ("standardError", .number($0.standardError)), ("oddsRatio", .number($0.oddsRatio)),
                         ("p", .number($0.p))])
            })
        }
        var fields: [(String, JSONValue)] = [
            ("modelHash", .string(model.contentHash)),
            ("demonstrationModel", .bool(model.demonstrationModel)),
            ("seededWeights", .bool(model.seededWeights)),
            ("training", split("training")),
            ("validation", split("validation")),
            ("threshold", field("threshold", m)),
            ("featureSelection", field("featureSelection", m)),
            ("selectedFeatures", field("features", field("radScore", m))),
            ("radScoreIntercept", .number(model.radScore.intercept)),
            ("coefficients", .object(fits.map { ($0.0, coefficients($0.1)) } + (radiomics.map { [("radiomics", coefficients($0.fit))] } ?? []))),
        ]
        if let radiomics {
            let score = radiomics.radScore.jsonValue()
            fields.append(("radiomics", .object([
                ("featureSelection", radiomics.selection.jsonValue()),
                ("selectedFeatures", field("features", score)),
                ("radScoreIntercept", .number(radiomics.radScore.intercept)),
            ])))
        }
        json = .object(fields)
    }
}
