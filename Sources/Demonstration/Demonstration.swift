import Foundation
import HER2Model
import SyntheticCohorts
import ImageIO
import Volumes

/// `her2mri demo`: what a newcomer runs first, the whole chain on synthetic data: synthesise a
/// cohort (both image formats), read one study back through both readers, train a demonstration
/// model, drop new studies into an inbox and run the watcher once, regenerate the cohort
/// documents from its predictions, and say what exists and where.
public struct Demonstration: Sendable {
    public let output: URL
    public let patients: Int
    /// New studies dropped into the demo's inbox.
    public let newStudies: Int
    /// Seed of the demonstration cohort.
    public static let seed: UInt64 = 2026
    /// Marks a folder as this tool's demo output, which a later demo may replace.
    static let marker = ".her2mri-demo"

    public init(output: URL, patients: Int, newStudies: Int = 12) {
        self.output = output
        self.patients = patients
        self.newStudies = newStudies
    }

    /// Runs the demonstration and returns the text to print.
    public func run() async throws -> String {
        try prepareOutput()
        let nifti = output.appendingPathComponent("cohort")
        let dicom = output.appendingPathComponent("cohort-dicom")
        let summary = try SyntheticCohort(patients: patients, seed: Demonstration.seed, format: .nifti).write(to: nifti)
        _ = try SyntheticCohort(patients: min(4, patients), seed: Demonstration.seed, format: .dicom, dicomLayout: .flat)
            .write(to: dicom)

        // One study through both readers: the same patient, so the same samples. The DICOM copy
        // is a flat PACS-style export, so the loader must first tell T1, T2 and DCE apart.
        let study = summary.studies[0]
        let fromNIfTI = try StudyLoader().load(nifti.appendingPathComponent(study))
        let fromDICOM = try StudyLoader().load(dicom.appendingPathComponent(study))
        var maxDifference: Float = 0
        for (a, b) in zip(fromNIfTI.dce.samples, fromDICOM.dce.samples) { maxDifference = max(maxDifference, abs(a - b)) }
        let dce = fromDICOM.dce

        let truth = try String(contentsOf: nifti.appendingPathComponent("truth/truth.csv"), encoding: .utf8)
        var lines = [
            "her2mri demonstration — synthetic data, demonstration only, not for clinical use",
            "",
            "1. Synthesised \(summary.studies.count) breast-MRI studies (4 centres, T1, T2, 6-phase DCE, two readers' masks):",
            "   \(nifti.path)   (NIfTI)",
            "   \(dicom.path)   (the first \(min(4, patients)) as flat DICOM exports, one per vendor style)",
            "   HER2-positive \(summary.positives) of \(summary.studies.count); best achievable AUC on this cohort "
                + String(format: "%.3f", summary.bestAchievableAUC) + " (from the true probabilities)",
            "",
            "   study    centre her2      p(true) diameter kinetic oedema",
        ]
        for row in truth.split(separator: "\n").dropFirst() {
            let f = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let probability = String(format: "%.3f", Double(f[3]) ?? .nan)
            let diameter = String(format: "%.1f mm", Double(f[5]) ?? .nan)
            lines.append("   " + [f[0].padding(8), f[1].padding(6), f[2].padding(9), probability.padding(7, leftAligned: false),
                                   diameter.padding(8, leftAligned: false), ("type " + f[7]).padding(7, leftAligned: false),
                                   f[8]].joined(separator: " "))
        }
        lines += [
            "",
            "2. Loaded \(study) from the flat DICOM export — series told apart from their headers:",
            fromDICOM.classification.map { $0.text.split(separator: "\n").map { "   " + $0 }.joined(separator: "\n") } ?? "",
            "   DCE \(dce.size.x)×\(dce.size.y)×\(dce.size.z)×\(dce.phases); largest difference from the NIfTI copy: \(maxDifference)",
            "",
            "Look inside:  her2mri inspect \(nifti.appendingPathComponent("\(study)/dce.nii.gz").path) --json",
            "              her2mri inspect \(dicom.appendingPathComponent(summary.studies[min(1, summary.studies.count - 1)]).path)",
        ]
        let (trained, trainingLines) = try DemonstrationModel(cohort: nifti, output: output).run()
        lines += [""] + trainingLines
        let drop = try await DemonstrationDropFolder(output: output, model: trained.modelURL, studies: newStudies).run()
        lines += [""] + drop.lines
        lines += [""] + (try DemonstrationCohortReport(output: output, outbox: drop.outbox, labels: drop.labels,
                                                      archive: drop.work.appendingPathComponent("archive")).run())
        lines += ["", "   Everything here is made by a demonstration model on synthetic data, with seeded (not ImageNet-pretrained)",
                  "   weights — not for clinical use."]
        lines += [
            "",
            "Also here:    her2mri train / predict (your own cohort; --weights-dir for ImageNet weights)",
            "              her2mri embed  (deep features from ResNet50, VGG16, EfficientNet-B0, ViT-Small)",
            "              her2mri stats  (ROC/DeLong, LASSO with CV, ICC, logistic model and nomogram, calibration, DCA)",
        ]
        return lines.joined(separator: "\n")
    }

    /// Replaces an earlier demo's output; refuses to touch a folder the demo did not make.
    func prepareOutput() throws {
        let fm = FileManager.default
        if let contents = try? fm.contentsOfDirectory(atPath: output.path), !contents.isEmpty {
            guard contents.contains(Demonstration.marker) else { throw SyntheticCohortError.outputExists(output.path) }
            try fm.removeItem(at: output)
        }
        try fm.createDirectory(at: output, withIntermediateDirectories: true)
        try Data("her2mri demo output; `her2mri demo` may replace this folder\n".utf8)
            .write(to: output.appendingPathComponent(Demonstration.marker))
    }
}

extension String {
    /// Pads with spaces to `width` (left-aligned text, or right-aligned numbers).
    func padding(_ width: Int, leftAligned: Bool = true) -> String {
        let pad = String(repeating: " ", count: max(0, width - count))
        return leftAligned ? self + pad : pad + self
    }
}
