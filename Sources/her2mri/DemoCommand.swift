import ArgumentParser
import Foundation
import Demonstration

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the demonstration: synthesise, train, run the drop folder on new studies, regenerate the cohort documents.",
        discussion: """
        Synthesises a small cohort (NIfTI and DICOM), inspects one study, trains a demonstration \
        model on the cohort (EfficientNet-B0 on seeded weights), drops new synthetic studies into \
        an inbox and runs `watch --once` on it (a report, HL7 messages and an encapsulated PDF per \
        study), regenerates the cohort ROC, calibration and decision-curve PDFs from those \
        predictions, and prints where everything is. Everything it makes is demonstration \
        material, not for clinical use.
        """
    )

    @Option(help: "Folder for the demonstration's outputs (replaced if it holds an earlier demo).")
    var out: String = "demo-output"

    @Option(help: "Number of synthetic patients to train on.")
    var patients: Int = 40

    @Option(help: "Number of new studies dropped into the demo's inbox.")
    var newStudies: Int = 12

    func validate() throws {
        guard patients >= 12, newStudies >= 1 else { throw ValidationError("--patients must be at least 12 and --new-studies at least 1") }
    }

    func run() async throws {
        let report = try await runReportingErrorsAsync {
            try await Demonstration(output: URL(fileURLWithPath: out), patients: patients, newStudies: newStudies).run()
        }
        print(report)
    }
}
