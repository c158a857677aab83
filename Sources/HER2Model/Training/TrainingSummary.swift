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
public struct TrainingSummary: Sendable {
    /// The summary as ordered JSON.
    public let json: JSONValue

    init(model: ModelArtifact, fits: [(String, LogisticModel)]) {
        let m = model.jsonValue()
        func field(_ key: String, _ object: JSONValue) -> JSONValue {
            if case let .object(pairs) = object, let v = pairs.first(where: { $0.0 == key }) { return v.1 }
            return .null
        }
        let metrics = field("metrics", m)
        json = .object([
            ("modelHash", .string(model.contentHash)),
            ("demonstrationModel", .bool(model.demonstrationModel)),
            ("seededWeights", .bool(model.seededWeights)),
            ("training", field("training", metrics)),
            ("validation", field("validation", metrics)),
            ("threshold", field("threshold", m)),
            ("featureSelection", field("featureSelection", m)),
            ("selectedFeatures", field("features", field("radScore", m))),
            ("radScoreIntercept", .number(model.radScore.intercept)),
            ("coefficients", .object(fits.map { name, fit in
                (name, .array(fit.coefficients.map {
                    .object([("name", .string($0.name)), ("estimate", .number($0.estimate)),
                             ("standardError", .number($0.standardError)), ("oddsRatio", .number($0.oddsRatio)),
                             ("p", .number($0.p))])
                }))
            })),
        ])
    }
}
