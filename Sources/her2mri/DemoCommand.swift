import ArgumentParser
import Foundation
import Demonstration

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the demonstration: synthesise a small cohort and show what exists.",
        discussion: """
        Today the demonstration synthesises a small cohort (NIfTI and DICOM) and inspects one \
        study. Later stages (training, the watcher, reports) join it as they are built. \
        Everything it makes is demonstration material, not for clinical use.
        """
    )

    @Option(help: "Folder for the demonstration's outputs (replaced if it holds an earlier demo).")
    var out: String = "demo-output"

    @Option(help: "Number of synthetic patients.")
    var patients: Int = 8

    func run() throws {
        let report = try runReportingErrors {
            try Demonstration(output: URL(fileURLWithPath: out), patients: patients).run()
        }
        print(report)
    }
}
