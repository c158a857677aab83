/// Which kinds of features a study yields: the deep features of the four backbones (the study's
/// method, always present: the combined model is built on their rad-score) and, optionally,
/// handcrafted radiomics (IBSI / pyradiomics), the "traditional method" baseline that training
/// turns into a separate rad-score and logistic model to compare against.
public enum FeatureFamily: String, Sendable, CaseIterable, Codable {
    case deep
    case radiomics

    /// The family of a feature by its name: `radiomics.…` is radiomics, anything else deep
    /// (`resnet50.dce_sub.f0123`).
    public static func of(featureName: String) -> FeatureFamily {
        featureName.hasPrefix(RadiomicsFamily.prefix) ? .radiomics : .deep
    }
}
