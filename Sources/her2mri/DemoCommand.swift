import ArgumentParser
import Foundation
import Demonstration

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the demonstration: synthesise a cohort, train a demonstration model, predict a new study.",
        discussion: """
        Synthesises a small cohort (NIfTI and DICOM), inspects one study, trains a demonstration \
        model on the cohort (ResNet50 on seeded weights) and predicts one new synthetic study, \
        printing the probability, the nomogram factors and where the files are. Everything it \
        makes is demonstration material, not for clinical use.
        """
    )

    @Option(help: "Folder for the demonstration's outputs (replaced if it holds an earlier demo).")
    var out: String = "demo-output"

    @Option(help: "Number of synthetic patients.")
    var patients: Int = 80

    func run() throws {
        let report = try runReportingErrors {
            try Demonstration(output: URL(fileURLWithPath: out), patients: patients).run()
        }
        print(report)
    }
}
