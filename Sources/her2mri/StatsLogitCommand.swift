import ArgumentParser
import Biostatistics

struct StatsLogitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logit",
        abstract: "Logistic regression (Wald SE, z, p, odds ratios with 95% CIs) and its nomogram scales.")

    @Argument(help: "CSV file with a header row.") var csv: String
    @Option(help: "The 0/1 outcome column (1 = positive).") var label: String
    @Option(help: "Comma-separated predictor columns.") var predictors: String

    var predictorList: [String] { predictors.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

    func validate() throws {
        guard !predictorList.isEmpty, predictorList.allSatisfy({ !$0.isEmpty }) else {
            throw ValidationError("--predictors needs a comma-separated list of column names")
        }
    }

    func run() throws { try StatsCommand.run(csv: csv) { try StatsReport.logit($0, label: label, predictors: predictorList) } }
}
