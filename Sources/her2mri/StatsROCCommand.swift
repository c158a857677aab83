import ArgumentParser
import Biostatistics

struct StatsROCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roc",
        abstract: "AUC with DeLong variance and 95% CI, Youden threshold; DeLong's paired test for two scores.")

    @Argument(help: "CSV file with a header row.") var csv: String
    @Option(help: "The 0/1 outcome column (1 = positive).") var label: String
    @Option(name: .customLong("score"), help: "A score column (higher = more likely positive); give one or two.")
    var scores: [String]

    func validate() throws {
        guard (1...2).contains(scores.count) else { throw ValidationError("give one or two --score columns") }
    }

    func run() throws { try StatsCommand.run(csv: csv) { try StatsReport.roc($0, label: label, scores: scores) } }
}
