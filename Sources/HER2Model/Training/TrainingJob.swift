import DeepFeatures
import Foundation
import Support

/// `her2mri train` as one library call: features (from study folders through the whole chain,
/// or from a ready feature table) → `Trainer` → `model.json`, `training_summary.json` and the
/// per-study predictions of every model (`predictions_training.csv`,
/// `predictions_validation.csv`, for `cohort-report --predictions`).
public struct TrainingJob: Sendable {
    /// Cohort folder of study folders (each with study.json); nil when `featureTable` is given.
    public var cohort: URL?
    /// labels.csv applied over the studies' own labels.
    public var labels: URL?
    /// A ready feature table instead of study folders.
    public var featureTable: URL?
    /// Where model.json goes; training_summary.json is written beside it.
    public var output: URL
    public var settings: TrainingSettings
    /// Backbones to use (nil: all four for a cohort, every column for a table).
    public var backbones: [String]?
    public var weights: BackboneWeights
    /// Feature families: `[.deep]` (the default) or `[.deep, .radiomics]` (adds the radiomics
    /// baseline model). From a table, columns of families not listed are left out.
    public var families: [FeatureFamily] = [.deep]
    /// Called after each study's features are ready: (done, total).
    public var progress: (@Sendable (Int, Int) -> Void)?
    /// The chain for study folders (nil: the standard one, with a feature cache beside --out).
    public var pipeline: StudyPipeline?

    public init(cohort: URL?, labels: URL?, featureTable: URL?, output: URL, settings: TrainingSettings,
                backbones: [String]?, weights: BackboneWeights, progress: (@Sendable (Int, Int) -> Void)? = nil,
                pipeline: StudyPipeline? = nil) {
        self.pipeline = pipeline
        self.cohort = cohort
        self.labels = labels
        self.featureTable = featureTable
        self.output = output
        self.settings = settings
        self.backbones = backbones
        self.weights = weights
        self.progress = progress
    }

    /// What was made.
    public struct Report: Sendable {
        public let model: ModelArtifact
        public let modelURL: URL
        public let summaryURL: URL
        /// The feature table extracted from a cohort (nil in table mode).
        public let featureTableURL: URL?
        /// The predictions CSVs written (training, then validation when there is one).
        public let predictionURLs: [URL]
        /// The radiomics baseline, when trained.
        public let radiomics: RadiomicsBaseline?

        /// Lines for the terminal.
        public var text: String {
            let m = model
            func auc(_ a: ModelArtifact.AUC) -> String { String(format: "%.3f (%.3f–%.3f)", a.auc, a.ci95[0], a.ci95[1]) }
            func split(_ name: String, _ s: ModelArtifact.SplitMetrics, _ r: RadiomicsBaseline.SplitMetrics?) -> [String] {
                var line = "\(name) (n = \(s.n), \(s.positives) HER2-positive): AUC combined \(auc(s.models.combined)), clinical \(auc(s.models.clinical)), deep \(auc(s.models.deep))"
                if let r { line += ", radiomics \(auc(r.auc))" }
                line += "; DeLong combined vs clinical z = \(String(format: "%.2f", s.delongCombinedVsClinical.z)), p = \(String(format: "%.3g", s.delongCombinedVsClinical.p))"
                if let r {
                    line += "; deep vs radiomics z = \(String(format: "%.2f", r.delongDeepVsRadiomics.z)), p = \(String(format: "%.3g", r.delongDeepVsRadiomics.p))"
                }
                return [line]
            }
            var lines = [
                "model: \(modelURL.path)  (\(m.contentHash))",
                "summary: \(summaryURL.path)",
            ]
            if let f = featureTableURL { lines.append("features: \(f.path)") }
            for u in predictionURLs { lines.append("predictions: \(u.path)") }
            lines += [
                "trained on \(m.trainedOn.studies) studies (centres \(m.trainedOn.centres.joined(separator: ", ")); \(m.trainedOn.positives) HER2-positive)",
                "ICC(2,1) ≥ \(m.featureSelection.iccThreshold): \(m.featureSelection.featuresAfterICC) of \(m.featureSelection.featuresIn) features; LASSO (\(m.featureSelection.folds)-fold CV, λ \(m.featureSelection.lambdaRule) = \(String(format: "%.4g", m.featureSelection.lambda))) kept \(m.radScore.features.count)",
                "threshold \(String(format: "%.3f", m.threshold.probability)) (Youden on training)",
            ]
            if let r = radiomics {
                let f = r.selection
                lines.append("radiomics: ICC(2,1) ≥ \(f.iccThreshold): \(f.featuresAfterICC) of \(f.featuresIn) features; LASSO (λ \(f.lambdaRule) = \(String(format: "%.4g", f.lambda))) kept \(r.radScore.features.count)")
            }
            lines += split("training", m.metrics.training, radiomics?.training)
            if let v = m.metrics.validation { lines += split("validation on centre \(m.trainedOn.validationCentre ?? "?")", v, radiomics?.validation) }
            for d in radiomics?.selection.diagnostics ?? [] { lines.append("note (radiomics): \(d)") }
            for d in m.featureSelection.diagnostics { lines.append("note: \(d)") }
            if m.seededWeights { lines.append("note: seeded backbone weights, not ImageNet-pretrained: the deep features carry no learned meaning") }
            if m.demonstrationModel { lines.append("demonstration model — not for clinical use") }
            return lines.joined(separator: "\n")
        }
    }

    /// Runs the job; nothing is written unless training succeeds.
    public func run() throws -> Report {
        let folder = output.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw HER2ModelError.invalidArgument("\(folder.path): the folder for --out does not exist")
        }
        var table: FeatureTable
        let source: String, inputHash: String
        var preprocessing = [String: String]()
        var synthetic = false
        var extracted: URL?
        var usedPipeline: StudyPipeline?
        if let featureTable {
            guard let bytes = FileManager.default.contents(atPath: featureTable.path) else {
                throw HER2ModelError.invalidFeatureTable(path: featureTable.path, line: 0, column: nil, reason: "no such file or unreadable")
            }
            table = try FeatureTable(csv: String(decoding: bytes, as: UTF8.self), path: featureTable.path)
            source = "featureTable"
            inputHash = "sha256:" + SHA256.hex(bytes)
        } else if let cohort {
            let cores = ProcessInfo.processInfo.activeProcessorCount
            // Studies side by side, one oneDNN / BLAS thread each: width × threads = cores.
            let chain = try pipeline ?? StudyPipeline.standard(
                backbones: try (backbones ?? Backbone.allCases.map(\.rawValue)).map(TrainingJob.backbone(named:)),
                weightsDirectory: weights.directory, cacheDirectory: folder.appendingPathComponent("feature-cache"), threads: 1,
                families: families)
            let result = try CohortFeatures(cohort: cohort, pipeline: chain, width: max(1, cores / max(1, chain.extraction.settings.threads)),
                                            progress: progress).extract()
            usedPipeline = chain
            table = result.table
            source = "cohort"
            inputHash = result.inputHash
            preprocessing = result.preprocessing
            synthetic = FileManager.default.fileExists(atPath: cohort.appendingPathComponent("truth/truth.csv").path)
            let url = folder.appendingPathComponent("features.csv")
            try AtomicFile.write(table.csv(), to: url)
            extracted = url
        } else {
            throw HER2ModelError.invalidArgument("give --cohort DIR or --features table.csv")
        }
        if let labels { table = try LabelsFile.read(path: labels.path).apply(to: table) }
        // Columns of the families asked for, and of the backbones asked for (deep columns).
        let keep = table.featureNames.indices.filter { j in
            let name = table.featureNames[j], family = FeatureFamily.of(featureName: name)
            guard families.contains(family) else { return false }
            return family != .deep || backbones.map { $0.contains(TrainingJob.backbone(of: name)) } ?? true
        }
        if keep.count < table.featureNames.count {
            let deepNames = table.featureNames.filter { FeatureFamily.of(featureName: $0) == .deep }
            if let backbones, !keep.contains(where: { FeatureFamily.of(featureName: table.featureNames[$0]) == .deep }) {
                throw HER2ModelError.invalidArgument("no feature column comes from \(backbones.joined(separator: ", ")); the table's backbones are \(TrainingJob.backbones(deepNames).joined(separator: ", "))")
            }
            table = try FeatureTable(featureNames: keep.map { table.featureNames[$0] },
                                     rows: table.rows.map { r in var r = r; r.features = keep.map { r.features[$0] }; return r })
        }
        if families.contains(.radiomics), !table.featureNames.contains(where: { FeatureFamily.of(featureName: $0) == .radiomics }) {
            throw HER2ModelError.invalidArgument("--feature-families asks for radiomics, but the feature table has no radiomics.… column; potential fix: extract from the cohort with --feature-families deep,radiomics")
        }
        let deepNames = table.featureNames.filter { FeatureFamily.of(featureName: $0) == .deep }
        let records = try TrainingJob.backbones(deepNames).map { name -> ModelArtifact.BackboneRecord in
            let identity: String
            if let chain = usedPipeline, let b = Backbone(rawValue: name) {
                identity = try chain.extraction.weightsIdentity(b)
            } else {
                identity = Backbone(rawValue: name) != nil ? try weights.identity(for: name) : "unknown (feature table)"
            }
            return ModelArtifact.BackboneRecord(name: name, weights: identity)
        }
        // Only a real cohort on pretrained weights makes a model that is not a demonstration.
        let demonstration = synthetic || source == "featureTable" || records.contains { !$0.weights.hasPrefix("sha256:") }
        let context = TrainingContext(backbones: records, preprocessing: preprocessing, featureSource: source,
                                      inputHash: inputHash, demonstrationModel: demonstration,
                                      createdAt: TrainingJob.creationTime())
        let outcome = try Trainer(settings: settings).fit(table, context: context)
        let summaryURL = folder.appendingPathComponent("training_summary.json")
        try AtomicFile.write(outcome.summary.json.prettyPrinted(), to: summaryURL)
        var predictionURLs = [folder.appendingPathComponent("predictions_training.csv")]
        try AtomicFile.write(outcome.predictions.training.csv(), to: predictionURLs[0])
        if let v = outcome.predictions.validation {
            predictionURLs.append(folder.appendingPathComponent("predictions_validation.csv"))
            try AtomicFile.write(v.csv(), to: predictionURLs[1])
        }
        try AtomicFile.write(outcome.model.fileText(), to: output)
        return Report(model: outcome.model, modelURL: output, summaryURL: summaryURL, featureTableURL: extracted,
                      predictionURLs: predictionURLs, radiomics: outcome.radiomics)
    }

    static func backbone(named name: String) throws -> Backbone {
        guard let b = Backbone(rawValue: name) else {
            throw HER2ModelError.invalidArgument("unknown backbone \"\(name)\"; choose from \(Backbone.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return b
    }

    /// The backbone a feature name comes from (the text before the first dot).
    static func backbone(of feature: String) -> String {
        String(feature.prefix { $0 != "." })
    }

    /// Backbones in first-appearance order.
    static func backbones(_ names: [String]) -> [String] {
        var seen = Set<String>(), out = [String]()
        for n in names { let b = backbone(of: n); if seen.insert(b).inserted { out.append(b) } }
        return out
    }

    /// ISO 8601 UTC: `SOURCE_DATE_EPOCH` when set (reproducible-builds.org), else now. It is not
    /// part of the content hash; set the variable for byte-identical files.
    static func creationTime() -> String {
        let date = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap(Double.init)
            .map { Date(timeIntervalSince1970: $0) } ?? Date()
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }
}
