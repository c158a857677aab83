import Foundation

/// `labels.csv` (`studyId,her2,centre`; her2 `positive`/`negative` or 1/0, centre optional):
/// the labels `train --labels` applies over those in study.json or the feature table.
public struct LabelsFile: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var her2: Bool
        public var centre: String?
    }

    public let entries: [String: Entry]

    /// Reads the file; a fault names the file, line and column.
    public static func read(path: String) throws -> LabelsFile {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw HER2ModelError.invalidFeatureTable(path: path, line: 0, column: nil, reason: "cannot read the labels file")
        }
        var entries = [String: Entry]()
        var columns: [String: Int]?
        for (k, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let cells = try FeatureTable.split(line, path: path, line: k + 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let c = columns else {
                let index = Dictionary(cells.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
                guard index["studyId"] != nil, index["her2"] != nil else {
                    throw HER2ModelError.invalidFeatureTable(path: path, line: k + 1, column: nil, reason: "the header needs columns studyId and her2 (and optionally centre)")
                }
                columns = index
                continue
            }
            guard cells.count >= c.count else {
                throw HER2ModelError.invalidFeatureTable(path: path, line: k + 1, column: nil, reason: "expected \(c.count) cells, found \(cells.count)")
            }
            let id = cells[c["studyId"]!]
            let her2: Bool
            switch cells[c["her2"]!].lowercased() {
            case "positive", "1": her2 = true
            case "negative", "0": her2 = false
            default:
                throw HER2ModelError.invalidFeatureTable(path: path, line: k + 1, column: "her2", reason: "\"\(cells[c["her2"]!])\" is not positive, negative, 1 or 0")
            }
            guard entries[id] == nil else {
                throw HER2ModelError.invalidFeatureTable(path: path, line: k + 1, column: "studyId", reason: "study \(id) appears twice")
            }
            entries[id] = Entry(her2: her2, centre: c["centre"].map { cells[$0] }.flatMap { $0.isEmpty ? nil : $0 })
        }
        guard columns != nil else { throw HER2ModelError.invalidFeatureTable(path: path, line: 1, column: nil, reason: "empty file") }
        return LabelsFile(entries: entries)
    }

    public init(entries: [String: Entry]) { self.entries = entries }

    /// The rows with labels (and centres) from this file where it names the study.
    public func apply(to table: FeatureTable) throws -> FeatureTable {
        let rows = table.rows.map { r -> FeatureTable.Row in
            guard let e = entries[r.studyId] else { return r }
            var r = r
            r.her2 = e.her2
            if let c = e.centre { r.centre = c }
            return r
        }
        return try FeatureTable(featureNames: table.featureNames, rows: rows)
    }
}
