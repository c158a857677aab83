import Foundation
import Biostatistics
import HER2Model
import Support

/// `cohort-report --cohort DIR --model model.json`: every study of a cohort folder through the
/// prediction chain (`StudyPipeline`, the same one `predict` runs), scored by the three logistic
/// models of model.json — clinical, deep (the rad-score alone) and combined —, with the label and
/// the clinical columns, as the predictions CSV `--predictions` reads.
///
/// Labels as `train` reads them: `labels.csv` beside the studies (`studyId,her2,centre`) when
/// present, otherwise each study.json's `her2`. Studies run `width` at a time with
/// `cores / width` oneDNN threads each (no oversubscription); a worker keeps only its row (three
/// probabilities and the clinical values) and drops the volumes, so memory does not grow with
/// the cohort.
///
/// A study that fails (unreadable, no label, a fault in the chain) fails the whole command, and
/// every failed study is listed with its fault: a validation that silently left out the hard
/// studies would overstate the AUC, and QA needs the complete list to fix them in one pass.
public struct CohortPredictions: Sendable {
    public var cohort: URL
    public var model: URL
    public var weights: BackboneWeights
    /// `labels.csv`; nil: `cohort/labels.csv` when it exists, else study.json.
    public var labels: URL?
    /// Feature cache folder (nil: none).
    public var cacheDirectory: URL?
    /// Studies at once (nil: the number of cores).
    public var width: Int?

    public init(cohort: URL, model: URL, weights: BackboneWeights, labels: URL? = nil, cacheDirectory: URL? = nil, width: Int? = nil) {
        self.cohort = cohort; self.model = model; self.weights = weights
        self.labels = labels; self.cacheDirectory = cacheDirectory; self.width = width
    }

    /// The model columns written, in order.
    public static let modelColumns = ["clinical", "deep", "combined"]

    /// One scored study.
    struct Row: Sendable {
        let id: String
        let label: Bool
        let probabilities: [Double]
        let clinical: FeatureTable.Row
    }

    /// Runs the chain over the cohort and returns the predictions CSV text (header
    /// `id,label,clinical,deep,combined,age,tumourSizeMm,…,centre`), rows in study-folder order.
    public func csv(progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> String {
        let artifact = try ModelArtifact.read(path: model.path)
        try artifact.checkWeights(weights, path: model.path)
        let folders = try CohortPredictions.studyFolders(cohort)
        let labelsURL = labels ?? {
            let u = cohort.appendingPathComponent("labels.csv")
            return FileManager.default.fileExists(atPath: u.path) ? u : nil
        }()
        let labelFile = try labelsURL.map { try LabelsFile.read(path: $0.path) }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let lanes = max(1, min(width ?? cores, folders.count))
        let chain = try PredictionJob.pipeline(for: artifact, weights: weights, cacheDirectory: cacheDirectory, threads: max(1, cores / lanes))
        try artifact.checkPreprocessing(of: chain, path: model.path)
        let predictor = Predictor(model: artifact)
        let done = LockBox(0)
        progress?(0, folders.count)
        let results = try ParallelMap.map(folders, width: lanes) { folder -> Result<Row, Error> in
            defer {
                let n = done.withLock { c -> Int in c += 1; return c }
                progress?(n, folders.count)
            }
            return Result { try CohortPredictions.score(folder, chain: chain, predictor: predictor, labels: labelFile) }
        }
        var rows = [Row](), failures = [String]()
        for (folder, r) in zip(folders, results) {
            switch r {
            case let .success(row): rows.append(row)
            case let .failure(e): failures.append("\(folder.lastPathComponent): \(e)")
            }
        }
        guard failures.isEmpty else { throw ReportsError.cohort(path: cohort.path, failures: failures) }
        return CohortPredictions.csv(rows)
    }

    /// One study: the chain, the three models' probabilities and its label.
    static func score(_ folder: URL, chain: StudyPipeline, predictor: Predictor, labels: LabelsFile?) throws -> Row {
        let result = try chain.run(studyFolder: folder)
        let f = result.features
        _ = try predictor.predict(f)  // refuses features made with other weights than the model's
        let row = try FeatureTable.Row(f, reader: 1)
        let index = Dictionary(f.names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let s = try predictor.score(studyId: f.studyId, clinical: row.clinicalValues) { index[$0].map { f.reader1[$0] } }
        let id = folder.lastPathComponent
        guard let her2 = labels?.entries[id]?.her2 ?? labels?.entries[f.studyId]?.her2 ?? row.her2 else {
            throw ReportsError.invalidInput("\(folder.appendingPathComponent("study.json").path): no HER2 label (neither labels.csv nor study.json's \"her2\" gives one); potential fix: add the study to labels.csv")
        }
        func logistic(_ eta: Double) -> Double { eta >= 0 ? 1 / (1 + exp(-eta)) : exp(eta) / (1 + exp(eta)) }
        return Row(id: id, label: her2,
                   probabilities: [logistic(s.clinicalLinearPredictor), logistic(s.deepLinearPredictor), s.probability],
                   clinical: row)
    }

    /// The predictions CSV of the rows, written as `train` writes its own
    /// (`TrainingPredictions`: probabilities in shortest round-trip form, read back exactly).
    static func csv(_ rows: [Row]) -> String {
        let table = rows.map { r -> FeatureTable.Row in
            var c = r.clinical
            c.studyId = r.id
            c.her2 = r.label
            return c
        }
        let models = modelColumns.indices.map { k in (name: modelColumns[k], probabilities: rows.map { $0.probabilities[k] }) }
        return TrainingPredictions.Split(rows: table, models: models).csv()
    }

    /// Study folders of the cohort (folders holding study.json), sorted by name — as `train`
    /// lists them.
    static func studyFolders(_ cohort: URL) throws -> [URL] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: cohort.path) else {
            throw ReportsError.invalidInput("\(cohort.path): cannot list the cohort folder")
        }
        let folders = names.sorted().filter { !$0.hasPrefix(".") }.map { cohort.appendingPathComponent($0) }
            .filter { FileManager.default.fileExists(atPath: $0.appendingPathComponent("study.json").path) }
        guard !folders.isEmpty else {
            throw ReportsError.invalidInput("\(cohort.path): no study folder (a folder holding study.json) in the cohort")
        }
        return folders
    }
}
