import ArgumentParser
import Foundation
import Support
import DeepFeatures
import HER2Model
import Reports

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict HER2 status of one study folder with a trained model: prediction.json, provenance.json, report.pdf, hl7.xml, hl7.er7 and report.dcm.",
        discussion: """
        The model is checked first (schema version, content hash, backbone weights) and refused \
        before the study is read when it does not match. A study the chain cannot use (no DCE, \
        a T2 of another patient, an empty mask, a mask on another grid, a clinical field of the \
        wrong type) is refused with a message naming the study, the file and the fault; nothing \
        is written then.
        """
    )

    @Argument(help: "Study folder.")
    var study: String

    @Option(help: "model.json from `her2mri train`.")
    var model: String

    @Option(help: "Output folder (created; must not hold files).")
    var out: String

    @Option(help: "Folder of <backbone>.safetensors the model was trained with (default: seeded weights).")
    var weightsDir: String?

    @Flag(help: "Print the time of each stage.")
    var timings = false

    @Option(help: "Threads of the network's kernels (default: one per core). `watch` gives each of its N workers cores / N, so parallel studies do not oversubscribe the cores.")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        AllocatorPolicy.keepFreedBuffers()
        let job = PredictionJob(study: URL(fileURLWithPath: study, isDirectory: true), model: URL(fileURLWithPath: model),
                                output: URL(fileURLWithPath: out, isDirectory: true),
                                weights: BackboneWeights(directory: weightsDir.map { URL(fileURLWithPath: $0, isDirectory: true) }),
                                threads: threads,
                                documents: { prediction, manifest, artifact, folder in
                                    try PredictionDocuments.write(prediction: prediction, manifest: manifest, model: artifact, into: folder)
                                })
        let report = try runReportingErrors { try job.run() }
        print(report.text(timings: timings))
    }
}
