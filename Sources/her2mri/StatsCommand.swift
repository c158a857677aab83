import ArgumentParser
import Biostatistics
import Foundation

/// `her2mri stats …`: the model's statistics for biostatisticians and QA staff, from a CSV
/// (header row; label 1 = positive) to JSON on standard output.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "ROC/DeLong, LASSO with cross-validation, ICC, logistic regression, calibration and decision curves from a CSV, as JSON.",
        subcommands: [StatsROCCommand.self, StatsLassoCommand.self, StatsICCCommand.self,
                      StatsLogitCommand.self, StatsCalibrationCommand.self, StatsDCACommand.self]
    )

    /// Reads the CSV, makes the report, prints it (diagnostics to standard error); a failure
    /// prints its message and exits 1.
    static func run(csv: String, _ make: (DataTable) throws -> StatsReport.Output) throws {
        let output = try runReportingErrors { try make(try DataTable.read(path: csv)) }
        for d in output.diagnostics { printError("her2mri: note: \(d)") }
        print(output.json.serialized())
    }
}
