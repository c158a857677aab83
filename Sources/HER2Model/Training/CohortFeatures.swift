import Foundation
import Support

/// The feature table of a cohort folder: every study folder (a folder holding study.json)
/// through `StudyPipeline`, several at once, streamed — each worker loads one study, keeps only
/// its feature vectors and drops the volumes, so memory grows with the table, not the images.
///
/// Threads: `width` studies run at once and each backbone call uses the extraction's
/// `threads`; callers choose width × threads ≤ cores so BLAS / oneDNN are not oversubscribed.
struct CohortFeatures: Sendable {
    let cohort: URL
    let pipeline: StudyPipeline
    let width: Int
    let progress: (@Sendable (Int, Int) -> Void)?

    struct Result: Sendable {
        let table: FeatureTable
        let inputHash: String
        let preprocessing: [String: String]
    }

    /// Study folders of the cohort, sorted by name.
    static func studyFolders(_ cohort: URL) throws -> [URL] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: cohort.path) else {
            throw HER2ModelError.invalidArgument("\(cohort.path): cannot list the cohort folder")
        }
        let folders = names.sorted().filter { !$0.hasPrefix(".") }.map { cohort.appendingPathComponent($0) }
            .filter { FileManager.default.fileExists(atPath: $0.appendingPathComponent("study.json").path) }
        guard !folders.isEmpty else {
            throw HER2ModelError.invalidArgument("\(cohort.path): no study folder (a folder holding study.json) in the cohort")
        }
        return folders
    }

    func extract() throws -> Result {
        let folders = try CohortFeatures.studyFolders(cohort)
        let done = LockBox(0)
        progress?(0, folders.count)
        let results = try ParallelMap.map(folders, width: width) { folder -> (rows: [FeatureTable.Row], names: [String], hash: String) in
            let r = try pipeline.run(studyFolder: folder)
            let rows = [try FeatureTable.Row(r.features, reader: 1), try FeatureTable.Row(r.features, reader: 2)]
            let n = done.withLock { c -> Int in c += 1; return c }
            progress?(n, folders.count)
            return (rows, r.features.names, r.inputHash)
        }
        let names = results[0].names
        for (folder, r) in zip(folders, results) where r.names != names {
            throw HER2ModelError.invalidStudy(path: folder.path, reason: "its feature names differ from the first study's")
        }
        let table = try FeatureTable(featureNames: names, rows: results.flatMap(\.rows))
        let hash = "sha256:" + SHA256.hex(Array(results.map(\.hash).joined(separator: "\n").utf8))
        return Result(table: table, inputHash: hash, preprocessing: pipeline.preprocessingParameters)
    }
}
