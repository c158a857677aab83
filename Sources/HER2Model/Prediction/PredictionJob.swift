import DeepFeatures
import Foundation
import Support

/// `her2mri predict` as one library call: the model is read and checked first (schema, hash,
/// weights) — before any study is read —, then the study runs through `StudyPipeline` and the
/// `Predictor`; `prediction.json` and `provenance.json` are written to a staging folder that is
/// renamed into place, so a failure leaves nothing behind.
public struct PredictionJob: Sendable {
    public var study: URL
    public var model: URL
    /// Output folder (must not exist, or be empty).
    public var output: URL
    public var weights: BackboneWeights
    /// The chain (nil: the standard one with the model's backbones and these weights).
    public var pipeline: StudyPipeline?
    /// Threads of the standard chain's networks (nil: one per core); `watch` gives each of its
    /// workers a share of the cores.
    public var threads: Int?
    /// Writes the documents made from the prediction (report.pdf, the HL7 messages, report.dcm;
    /// the prediction carries the lesion's `KeyImages` for the report) into the staging folder, so they land together with prediction.json or not at all. The
    /// command line passes Reports' writer here (HER2Model does not know Reports).
    public var documents: (@Sendable (Prediction, StudyManifest, ModelArtifact, URL) throws -> [String])?

    public init(study: URL, model: URL, output: URL, weights: BackboneWeights, pipeline: StudyPipeline? = nil,
                threads: Int? = nil,
                documents: (@Sendable (Prediction, StudyManifest, ModelArtifact, URL) throws -> [String])? = nil) {
        self.threads = threads
        self.study = study
        self.model = model
        self.output = output
        self.weights = weights
        self.pipeline = pipeline
        self.documents = documents
    }

    public struct Report: Sendable {
        public let prediction: Prediction
        public let predictionURL: URL
        public let provenanceURL: URL
        /// Seconds per stage in order (load, preprocess, lesion, measures, patches, backbones, model).
        public let seconds: [(String, Double)]
        public let notes: [String]
        /// The documents written beside prediction.json (file names).
        public let documents: [String]
        /// Seconds per step inside the preprocess stage (registrations, resampling, masks …).
        public var preprocessSeconds: [String: Double] = [:]

        /// Lines for the terminal.
        public func text(timings: Bool) -> String {
            let p = prediction
            var lines: [String] = [
                "\(p.studyId): HER2-\(p.call.rawValue)  probability \(String(format: "%.3f", p.probability)) (95 % CI \(String(format: "%.3f–%.3f", p.ci95[0], p.ci95[1]))), threshold \(String(format: "%.3f", p.threshold))",
                "nomogram: " + p.factors.map { "\($0.name) \(String(format: "%.4g", $0.value)) → \(String(format: "%.1f", $0.points)) pts" }.joined(separator: "; ")
                    + "; total \(String(format: "%.1f", p.totalPoints))",
                "wrote \(predictionURL.path)",
                "      \(provenanceURL.path)",
            ]
            let folder = predictionURL.deletingLastPathComponent()
            for d in documents { lines.append("      " + folder.appendingPathComponent(d).path) }
            for n in notes { lines.append("note: \(n)") }
            if p.seededWeights { lines.append("note: seeded backbone weights, not ImageNet-pretrained") }
            if p.demonstrationModel { lines.append("demonstration model — not for clinical use") }
            if timings {
                lines.append("timings (s): " + seconds.map { "\($0.0) \(String(format: "%.2f", $0.1))" }.joined(separator: ", ")
                             + ", total \(String(format: "%.2f", seconds.reduce(0) { $0 + $1.1 }))")
                if !preprocessSeconds.isEmpty {
                    lines.append("preprocess steps (s): " + preprocessSeconds.sorted { $0.value > $1.value }
                        .map { "\($0.key) \(String(format: "%.2f", $0.value))" }.joined(separator: ", "))
                }
            }
            return lines.joined(separator: "\n")
        }
    }

    public func run() throws -> Report {
        let started = DispatchTime.now().uptimeNanoseconds
        let artifact = try ModelArtifact.read(path: model.path)
        try artifact.checkWeights(weights, path: model.path)
        let fm = FileManager.default
        if let contents = try? fm.contentsOfDirectory(atPath: output.path), !contents.isEmpty {
            throw HER2ModelError.outputExists(output.path)
        }
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: study.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw HER2ModelError.invalidStudy(path: study.path, reason: "no such study folder")
        }
        let chain = try pipeline ?? PredictionJob.pipeline(for: artifact, weights: weights, cacheDirectory: nil,
                                                           threads: threads ?? ProcessInfo.processInfo.activeProcessorCount, secondReader: false)
        try artifact.checkPreprocessing(of: chain, path: model.path)
        let checked = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let result = try chain.run(studyFolder: study, keyImages: true)
        let modelStart = DispatchTime.now().uptimeNanoseconds
        var prediction: Prediction
        do { prediction = try Predictor(model: artifact).predict(result.features) } catch let HER2ModelError.invalidStudy(_, why) {
            throw HER2ModelError.invalidStudy(path: study.path, reason: why)
        }
        prediction.keyImages = result.keyImages
        let seconds = [("model check", checked)] + result.seconds
            + [("model", Double(DispatchTime.now().uptimeNanoseconds - modelStart) / 1e9)]
        let provenance = PredictionJob.provenance(study: study, result: result, model: artifact, modelPath: model.path,
                                                  pipeline: chain, seconds: seconds)
        // Stage beside the output, then rename into place.
        let parent = output.deletingLastPathComponent()
        let staging = parent.appendingPathComponent(".\(output.lastPathComponent).tmp-\(getpid())-\(UUID().uuidString.prefix(8))")
        var written: [String] = []
        do {
            try fm.createDirectory(at: staging, withIntermediateDirectories: true)
            try AtomicFile.write(prediction.jsonValue().prettyPrinted(), to: staging.appendingPathComponent("prediction.json"))
            try AtomicFile.write(provenance.prettyPrinted(), to: staging.appendingPathComponent("provenance.json"))
            written = try documents?(prediction, result.features.manifest, artifact, staging) ?? []
            if fm.fileExists(atPath: output.path) { try fm.removeItem(at: output) }  // empty, checked above
            try fm.moveItem(at: staging, to: output)
        } catch {
            try? fm.removeItem(at: staging)
            throw HER2ModelError.invalidArgument("\(output.path): cannot write the outputs (\(error))")
        }
        var report = Report(prediction: prediction, predictionURL: output.appendingPathComponent("prediction.json"),
                            provenanceURL: output.appendingPathComponent("provenance.json"), seconds: seconds,
                            notes: result.features.notes, documents: written)
        report.preprocessSeconds = result.preprocessing?.seconds ?? [:]
        return report
    }

    /// The chain `predict` scores a study with: the standard preprocessing and the model's
    /// backbones on these weights (cohort-report --cohort runs the same one).
    public static func pipeline(for artifact: ModelArtifact, weights: BackboneWeights, cacheDirectory: URL?, threads: Int,
                                secondReader: Bool = true) throws -> StudyPipeline {
        try StudyPipeline.standard(backbones: try artifact.usedBackbones.map { try TrainingJob.backbone(named: $0.name) },
                                   weightsDirectory: weights.directory, cacheDirectory: cacheDirectory, threads: threads,
                                   secondReader: secondReader)
    }

    /// provenance.json: inputs, model, versions, weights, preprocessing, transforms, timings.
    static func provenance(study: URL, result: StudyPipeline.Result, model: ModelArtifact, modelPath: String,
                           pipeline: StudyPipeline, seconds: [(String, Double)]) -> JSONValue {
        let f = result.features
        var transforms = [JSONValue]()
        for r in result.preprocessing?.registrations ?? [] {
            transforms.append(.object([
                ("moving", .string(r.moving)), ("fixed", .string(r.fixed)),
                ("rotationDegrees", .numbers([r.transform.rotationDegrees.x, r.transform.rotationDegrees.y, r.transform.rotationDegrees.z])),
                ("translationMm", .numbers([r.transform.translation.x, r.transform.translation.y, r.transform.translation.z])),
                ("centreMm", .numbers([r.transform.centre.x, r.transform.centre.y, r.transform.centre.z])),
                ("metricBefore", .number(r.metricBefore)), ("metricAfter", .number(r.metricAfter)),
                ("iterations", .integer(r.iterations)),
            ]))
        }
        let normalisation = (result.preprocessing?.normalisation ?? [:]).sorted { $0.key < $1.key }.map {
            ($0.key, JSONValue.object([("method", .string($0.value.method)), ("offset", .number($0.value.offset)), ("scale", .number($0.value.scale))]))
        }
        return .object([
            ("studyId", .string(f.studyId)),
            ("studyFolder", .string(study.path)),
            ("inputHash", .string(result.inputHash.hasPrefix("sha256:") ? result.inputHash : "sha256:" + result.inputHash)),
            ("model", .object([("path", .string(modelPath)), ("contentHash", .string(model.contentHash)),
                               ("schemaVersion", .string(model.schemaVersion)), ("createdAt", .string(model.createdAt)),
                               ("demonstrationModel", .bool(model.demonstrationModel))])),
            ("versions", .object([("modelSchema", .string(ModelArtifact.currentSchemaVersion)),
                                  ("featureExtraction", .string(FeatureExtraction.version))])),
            ("weights", .object(f.weightsHashes.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("preprocessing", .object(pipeline.preprocessingParameters.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("transforms", .array(transforms)),
            ("normalisation", .object(normalisation)),
            ("featuresFromCache", .bool(result.fromCache)),
            ("notes", .array(f.notes.map { .string($0) })),
            ("seconds", .object(seconds.map { ($0.0, .number($0.1)) })),
        ])
    }
}
