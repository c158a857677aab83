/// Settings of `Trainer` (plain values with defaults, no logic).
public struct TrainingSettings: Sendable, Equatable {
    /// Which λ of the cross-validated LASSO path defines the rad-score.
    public enum LambdaRule: String, Sendable, Equatable, Codable {
        /// Largest λ whose CV deviance is within one standard error of the minimum (the default).
        case oneStandardError = "1se"
        /// λ of minimum CV deviance.
        case minimum = "min"
    }

    /// Keep deep features whose ICC(2,1) between the two readers' masks is at least this.
    public var iccThreshold = 0.9
    /// Folds of the LASSO cross-validation.
    public var folds = 10
    /// Seed of the fold assignment (and recorded in the model).
    public var seed: UInt64 = 1
    /// λ for the rad-score; `oneStandardError` falls back to `minimum` when it selects nothing
    /// (recorded in the model's diagnostics).
    public var lambdaRule = LambdaRule.oneStandardError
    /// Studies of this centre are held out for validation (nil: no validation set).
    public var validationCentre: String?
    /// Fold of each training study (1…K, in table order) instead of the seeded assignment, to
    /// reproduce a run of R's cv.glmnet with its `foldid`.
    public var foldIDs: [Int]?
    /// glmnet's convergence threshold for the LASSO (its default 1e-7).
    public var lassoThreshold = 1e-7

    public init() {}
}
