import ArgumentParser
import Biostatistics

struct StatsCalibrationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibration",
        abstract: "Hosmer-Lemeshow, Brier, calibration intercept and slope, Eavg/Emax/E90 (rms::val.prob).")

    @Argument(help: "CSV file with a header row.") var csv: String
    @Option(help: "The 0/1 outcome column (1 = positive).") var label: String
    @Option(help: "The predicted-probability column.") var prob: String

    func run() throws { try StatsCommand.run(csv: csv) { try StatsReport.calibration($0, label: label, probability: prob) } }
}
