import ArgumentParser
import Biostatistics

struct StatsLassoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lasso",
        abstract: "LASSO-logistic path with k-fold cross-validation by deviance (glmnet / cv.glmnet conventions).",
        discussion: "Every column other than the label and the fold column is a feature.")

    @Argument(help: "CSV file with a header row.") var csv: String
    @Option(help: "The 0/1 outcome column (1 = positive).") var label: String
    @Option(name: .customLong("fold-column"), help: "Column of fold ids 1…K (otherwise folds are seeded).") var foldColumn: String?
    @Option(help: "Number of folds when no fold column is given.") var nfolds = 10
    @Option(help: "Seed for the fold assignment.") var seed: UInt64 = 1
    @Option(name: .customLong("lambda"), help: "Also report the solution at this λ (repeatable; glmnet's coef(exact = TRUE)).") var lambdas: [Double] = []
    @Flag(help: "Read --lambda coefficients by linear interpolation between path values (glmnet's coef(exact = FALSE)) instead of solving there.")
    var interpolate = false
    @Option(help: "Elastic-net mixing (1 = LASSO).") var alpha = 1.0
    @Option(help: "Coordinate-descent convergence threshold (glmnet's thresh).") var thresh = 1e-7

    func validate() throws {
        guard nfolds >= 3 else { throw ValidationError("--nfolds must be at least 3") }
        guard alpha >= 0 && alpha <= 1 else { throw ValidationError("--alpha must be in [0, 1]") }
        guard thresh > 0 else { throw ValidationError("--thresh must be positive") }
        guard lambdas.allSatisfy({ $0 >= 0 && $0.isFinite }) else { throw ValidationError("--lambda must be non-negative") }
    }

    func run() throws {
        var settings = LassoLogisticSettings()
        settings.alpha = alpha
        settings.threshold = thresh
        try StatsCommand.run(csv: csv) {
            try StatsReport.lasso($0, label: label, foldColumn: foldColumn, folds: nfolds, seed: seed,
                                  lambdas: lambdas, interpolate: interpolate, settings: settings)
        }
    }
}
