// Speed of `predict` for one study with every backbone the model was trained with (issue 9:
// "one 6-phase study of clinical size with all four backbones under 10 s on 2 cores"). Not a
// test; tests never assert on time.
//
// `her2mri predict` runs only the backbones whose features the rad-score uses; a model trained
// on seeded weights may keep features of one or two backbones only, so this program runs the
// same job (the model check, the standard chain, the model, and the documents: report.pdf, both
// HL7 messages, report.dcm) with the feature stage extracting all of the model's backbones.
// Run 1 starts cold, as a `predict` process does (weights made, oneDNN primitives created);
// later runs in the same process are warm and printed for comparison.
//
// `--weights-dir DIR` times the route of real use, weights read from safetensors files (e.g.
// `tools/save_pretrained_weights.py`'s, or any files of that layout and size) instead of seeded
// weights drawn in memory: the model's weight records are replaced by those files' hashes in a
// copy written to the output folder (timing only: the probability then means nothing).
//
// Usage: PredictBenchmark STUDY --model model.json [--weights-dir DIR] [--runs N] [--out DIR]
// From the package root: swift run -c release PredictBenchmark /tmp/clinical/SYN0001 --model …/model.json
import DeepFeatures
import Foundation
import HER2Model
import Reports
import Support

func loadAverage() -> String {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
}

let args = CommandLine.arguments
func option(_ name: String) -> String? { args.firstIndex(of: name).flatMap { $0 + 1 < args.count ? args[$0 + 1] : nil } }
guard args.count > 1, !args[1].hasPrefix("--"), let modelPath = option("--model") else {
    FileHandle.standardError.write(Data("usage: PredictBenchmark STUDY --model model.json [--weights-dir DIR] [--runs N] [--out DIR]\n".utf8))
    exit(2)
}
let study = URL(fileURLWithPath: args[1], isDirectory: true)
let runs = max(1, Int(option("--runs") ?? "") ?? 3)
let out = URL(fileURLWithPath: option("--out") ?? NSTemporaryDirectory() + "her2mri-predict-bench", isDirectory: true)

do {
    AllocatorPolicy.keepFreedBuffers()   // as `her2mri predict` does
    var artifact = try ModelArtifact.read(path: modelPath)
    let weights = BackboneWeights(directory: option("--weights-dir").map { URL(fileURLWithPath: $0, isDirectory: true) })
    try? FileManager.default.removeItem(at: out)
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    var modelURL = URL(fileURLWithPath: modelPath)
    if weights.directory != nil {
        for i in artifact.backbones.indices { artifact.backbones[i].weights = try weights.identity(for: artifact.backbones[i].name) }
        modelURL = out.appendingPathComponent("model-with-these-weights.json")
        try artifact.sealed().fileText().write(to: modelURL, atomically: true, encoding: .utf8)
    }
    let backbones = try artifact.backbones.map { record -> Backbone in
        guard let b = Backbone(rawValue: record.name) else { throw HER2ModelError.invalidModel(path: modelPath, reason: "unknown backbone \(record.name)") }
        return b
    }
    print("load average at start: \(loadAverage())")
    print("study \(study.path); model trained with \(backbones.map(\.rawValue).joined(separator: ", ")); "
          + "its rad-score uses \(artifact.usedBackbones.map(\.name).joined(separator: ", ")); extracting all \(backbones.count); "
          + (weights.directory.map { "weights read from \($0.path)" } ?? "seeded weights"))
    var totals: [Double] = []
    for run in 1...runs {
        let started = DispatchTime.now().uptimeNanoseconds
        let pipeline = try StudyPipeline.standard(backbones: backbones, weightsDirectory: weights.directory, cacheDirectory: nil,
                                                  threads: ProcessInfo.processInfo.activeProcessorCount, secondReader: false)
        let job = PredictionJob(study: study, model: modelURL, output: out.appendingPathComponent("run\(run)"),
                                weights: weights, pipeline: pipeline,
                                documents: { prediction, manifest, model, folder in
                                    try PredictionDocuments.write(prediction: prediction, manifest: manifest, model: model, into: folder)
                                })
        let report = try job.run()
        let total = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        totals.append(total)
        print("run \(run) (\(run == 1 ? "cold, as a predict process" : "warm")): \(String(format: "%.2f", total)) s")
        print(report.text(timings: true).split(separator: "\n").filter { $0.hasPrefix("timings") || $0.hasPrefix("preprocess") || $0.contains("probability") }
                .map { "  " + $0 }.joined(separator: "\n"))
    }
    if runs > 1 {
        let warm = totals.dropFirst().sorted()
        print(String(format: "cold %.2f s; warm median %.2f s over %d runs", totals[0], warm[warm.count / 2], warm.count))
    }
    print("load average at end: \(loadAverage())")
    print("outputs: \(out.path)")
} catch {
    FileHandle.standardError.write(Data("PredictBenchmark: \(error)\n".utf8))
    exit(1)
}
