import ArgumentParser
import Foundation
import SyntheticCohorts

struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Write a synthetic breast-MRI cohort with known ground truth.",
        discussion: """
        One study folder per patient (study.json, T1, T2, 6-phase DCE, two readers' tumour masks), \
        labels.csv, and truth/ with each patient's true HER2 probability, tumour, kinetics, oedema, \
        motion and offsets. Four centres differ in vendor, intensity scale, noise, bias field and \
        voxel size. The same seed gives the same bytes. For exercising the chain only: not clinical data.
        """
    )

    @Option(help: "Output folder (must not exist or be empty).")
    var out: String

    @Option(help: "Number of patients.")
    var patients: Int

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(help: "Image format: nifti or dicom.")
    var format: SyntheticCohort.Format = .nifti

    @Option(help: "DICOM layout: folders (T1/, T2/, DCE/) or flat (every series, shuffled, in the study folder).")
    var dicomLayout: SyntheticCohort.DICOMLayout = .folders

    @Option(help: "Image size: standard (fast, 124×124×32-ish) or clinical (DCE 256×256×80 at 0.7×0.7×2 mm).")
    var size: SyntheticCohort.ImageSize = .standard

    func validate() throws {
        guard patients >= 1 else { throw ValidationError("--patients must be at least 1") }
    }

    func run() throws {
        let summary = try runReportingErrors {
            try SyntheticCohort(patients: patients, seed: seed, format: format, dicomLayout: dicomLayout,
                            imageSize: size).write(to: URL(fileURLWithPath: out))
        }
        print(summary.text)
    }
}

extension SyntheticCohort.Format: ExpressibleByArgument {}
extension SyntheticCohort.DICOMLayout: ExpressibleByArgument {}
extension SyntheticCohort.ImageSize: ExpressibleByArgument {}

extension SyntheticCohort.Summary {
    /// A few lines for the terminal.
    var text: String {
        let centres = perCentre.keys.sorted().map { "\($0): \(perCentre[$0]!)" }.joined(separator: ", ")
        return """
        Wrote \(studies.count) synthetic studies to \(directory.path)
          HER2-positive: \(positives) of \(studies.count); centres \(centres)
          best achievable AUC (true probabilities): \(String(format: "%.3f", bestAchievableAUC))
          labels: \(directory.appendingPathComponent("labels.csv").path)
          truth:  \(directory.appendingPathComponent("truth/truth.csv").path)
        """
    }
}
