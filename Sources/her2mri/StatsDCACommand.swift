import ArgumentParser
import Biostatistics

struct StatsDCACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dca",
        abstract: "Decision curves: net benefit of the model, treat-all and treat-none at thresholds 0.01-0.99.")

    @Argument(help: "CSV file with a header row.") var csv: String
    @Option(help: "The 0/1 outcome column (1 = positive).") var label: String
    @Option(help: "The predicted-probability column.") var prob: String

    func run() throws { try StatsCommand.run(csv: csv) { try StatsReport.dca($0, label: label, probability: prob) } }
}
