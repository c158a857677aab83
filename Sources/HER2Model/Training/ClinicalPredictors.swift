/// The clinical predictors of the clinical and combined models, in model order.
///
/// Conventions: `tumourSizeMm` is the measured longest 3-D diameter (or study.json's
/// override); `kineticType` enters as the ordinal 1 (persistent) / 2 (plateau) / 3 (washout),
/// one coefficient per step, so the nomogram keeps one axis per factor (Biostatistics'
/// nomogram draws predictors that enter linearly); booleans are 1 yes / 0 no; `age` in years.
public enum ClinicalPredictors {
    public static let names = ["tumourSizeMm", "kineticType", "peritumoralEdema",
                               "lymphNodeInvolvement", "microcalcifications", "age"]
    /// The deep-learning score's name in the deep and combined models.
    public static let radScore = "radScore"
}
