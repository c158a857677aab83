import ArgumentParser
import Biostatistics

struct StatsICCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "icc",
        abstract: "ICC(2,1) and ICC(3,1) with 95% CIs for every column X that has a second rating X<suffix>.")

    @Argument(help: "CSV file with a header row, one row per subject.") var csv: String
    @Option(name: .customLong("second-suffix"), help: "Suffix of the second rating's column.") var secondSuffix = "_r2"

    func run() throws { try StatsCommand.run(csv: csv) { try StatsReport.icc($0, secondSuffix: secondSuffix) } }
}
