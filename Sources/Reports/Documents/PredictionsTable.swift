import Foundation
import Biostatistics

/// A cohort's predictions as `her2mri cohort-report --predictions` reads them: a CSV with a
/// header `id,label,<model>…` — `label` 1 for HER2-positive and 0 for negative, one column of
/// probabilities in [0, 1] per model (clinical, deep, combined, …) — and optional clinical
/// columns recognised by name (`age`, `tumourSizeMm`, `lymphNodeInvolvement`,
/// `microcalcifications`, `kineticType`, `peritumoralEdema`, `centre`; empty cells are missing
/// values). Every fault names the line (the header is line 1) and the column.
public struct PredictionsTable: Sendable {
    /// The clinical column names Table 1 knows, in its row order.
    public static let clinicalColumns = ["age", "tumourSizeMm", "lymphNodeInvolvement", "microcalcifications",
                                         "kineticType", "peritumoralEdema", "centre"]

    public let path: String
    public let ids: [String]
    /// 1 = HER2-positive, 0 = negative.
    public let labels: [Double]
    /// Model names in file order and their probabilities.
    public let models: [String]
    public let probabilities: [[Double]]
    /// Clinical columns present (name → cells as text, "" for missing).
    public let clinical: [(name: String, cells: [String])]

    /// Reads and checks `path`; `models` restricts (and orders) the model columns, otherwise
    /// every column that is not id, label or clinical is a model.
    public static func read(path: String, models: [String]? = nil) throws -> PredictionsTable {
        let table: DataTable
        do { table = try DataTable.read(path: path) } catch let BiostatisticsError.csv(p, line, reason) {
            throw ReportsError.predictions(path: p, line: line, column: nil, reason: reason)
        }
        return try PredictionsTable(table: table, models: models)
    }

    public init(table: DataTable, models requested: [String]? = nil) throws {
        path = table.path
        func column(_ name: String) throws -> Int {
            guard let i = table.names.firstIndex(of: name) else {
                throw ReportsError.predictions(path: table.path, line: 1, column: name,
                                               reason: "missing column \"\(name)\" (the header needs id,label and one probability column per model)")
            }
            return i
        }
        func where_(_ name: String, _ r: Int) -> (Int, String) {
            let k = table.names.firstIndex(of: name)! + 1
            return (r + 2, "\(name) (column \(k))")
        }
        let idCol = try column("id"), labelCol = try column("label")
        let ids = table.columns[idCol]
        var firstLine = [String: Int]()
        for (r, id) in ids.enumerated() {
            let (line, col) = where_("id", r)
            guard !id.isEmpty else { throw ReportsError.predictions(path: path, line: line, column: col, reason: "empty id") }
            if let seen = firstLine[id] {
                throw ReportsError.predictions(path: path, line: line, column: col, reason: "duplicate id \"\(id)\" (first on line \(seen))")
            }
            firstLine[id] = line
        }
        var labels = [Double]()
        for (r, cell) in table.columns[labelCol].enumerated() {
            guard let v = Double(cell), v == 0 || v == 1 else {
                let (line, col) = where_("label", r)
                throw ReportsError.predictions(path: path, line: line, column: col, reason: "label \"\(cell)\" is not 0 or 1 (1 = HER2-positive)")
            }
            labels.append(v)
        }
        let positives = labels.filter { $0 == 1 }.count
        if positives == 0 || positives == labels.count {
            throw ReportsError.predictions(path: path, line: labels.count + 1, column: "label (column \(labelCol + 1))",
                                           reason: "one class only: all \(labels.count) rows are \(positives == 0 ? "0" : "1"); ROC, calibration and decision curves need both")
        }
        let modelNames = requested ?? table.names.filter { $0 != "id" && $0 != "label" && !PredictionsTable.clinicalColumns.contains($0) }
        guard !modelNames.isEmpty else {
            throw ReportsError.predictions(path: path, line: 1, column: nil, reason: "no probability column: add one column per model after id,label")
        }
        var probabilities = [[Double]]()
        for name in modelNames {
            let c = try column(name)
            var p = [Double]()
            for (r, cell) in table.columns[c].enumerated() {
                guard let v = Double(cell), v.isFinite else {
                    let (line, col) = where_(name, r)
                    throw ReportsError.predictions(path: path, line: line, column: col, reason: "probability \"\(cell)\" is not a number")
                }
                guard v >= 0 && v <= 1 else {
                    let (line, col) = where_(name, r)
                    throw ReportsError.predictions(path: path, line: line, column: col, reason: "probability \(cell) is outside [0, 1] (probabilities, not percent)")
                }
                p.append(v)
            }
            probabilities.append(p)
        }
        self.ids = ids
        self.labels = labels
        self.models = modelNames
        self.probabilities = probabilities
        clinical = PredictionsTable.clinicalColumns.compactMap { name in
            table.names.firstIndex(of: name).map { (name, table.columns[$0]) }
        }
    }
}
