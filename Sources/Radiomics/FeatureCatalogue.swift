/// The feature names of each class, in pyradiomics' output order (its `getFeatureNames` sorts
/// the `get<Name>FeatureValue` methods by name), and which are deprecated there.
enum FeatureCatalogue {
    static func defaults(_ c: FeatureClass) -> [String] {
        let names: [String]
        switch c {
        case .shape: names = ShapeFeatures.names
        case .firstorder: names = FirstOrderFeatures.names
        case .glcm: names = GLCMFeatures.names
        case .glrlm: names = GLRLMFeatures.names
        case .glszm: names = GLSZMFeatures.names
        case .gldm: names = GLDMFeatures.names
        case .ngtdm: names = NGTDMFeatures.names
        }
        return names.sorted { Array(($0 + "FeatureValue").utf8).lexicographicallyPrecedes(Array(($1 + "FeatureValue").utf8)) }
    }

    /// Deprecated features that can still be asked for by name.
    static func deprecated(_ c: FeatureClass) -> [String] {
        switch c {
        case .shape: return ShapeFeatures.deprecated
        case .firstorder: return FirstOrderFeatures.deprecated
        default: return []
        }
    }

    /// The features a selection asks for; an unknown name is an error (pyradiomics: LookupError).
    static func resolve(_ s: FeatureClassSelection) throws -> [String] {
        guard let wanted = s.features, !wanted.isEmpty else { return defaults(s.featureClass) }
        let known = Set(defaults(s.featureClass) + deprecated(s.featureClass))
        for name in wanted where !known.contains(name) {
            throw RadiomicsError.invalidSetting("feature \(name) is not in class \(s.featureClass.rawValue) (known: \(defaults(s.featureClass).joined(separator: ", ")))")
        }
        return wanted
    }
}

extension RadiomicsExtractor {
    /// The feature names `extract` returns for `settings`, in its order (shape first, then the
    /// classes as listed), e.g. `original_glcm_Contrast`; an unknown feature name is an error.
    public static func featureNames(settings: RadiomicsSettings) throws -> [String] {
        let ordered = settings.featureClasses.filter { $0.featureClass == .shape }
            + settings.featureClasses.filter { $0.featureClass != .shape }
        return try ordered.flatMap { s in try FeatureCatalogue.resolve(s).map { "original_\(s.featureClass.rawValue)_\($0)" } }
    }
}
