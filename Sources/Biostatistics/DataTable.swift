import Foundation

/// A small CSV table (header row, comma separated, optional double quotes) for the statistics
/// commands: columns are kept as text and converted to numbers on request, so a bad cell is
/// reported with its file, line and column.
public struct DataTable: Sendable {
    /// Where the table came from (used in error messages).
    public let path: String
    /// Column names from the header row, in file order.
    public let names: [String]
    /// Cells by column.
    public let columns: [[String]]
    /// Number of data rows.
    public var rowCount: Int { columns.first?.count ?? 0 }

    /// Files larger than this are refused before reading (1 GiB).
    public static let maximumBytes = 1 << 30

    /// Reads and parses a CSV file.
    public static func read(path: String) throws -> DataTable {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw BiostatisticsError.csv(path: path, line: 0, reason: "no such file")
        }
        if isDirectory.boolValue { throw BiostatisticsError.csv(path: path, line: 0, reason: "is a folder, not a CSV file") }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        guard let size else { throw BiostatisticsError.csv(path: path, line: 0, reason: "cannot read the file") }
        if size > maximumBytes { throw BiostatisticsError.csv(path: path, line: 0, reason: "file larger than 1 GiB") }
        guard let data = try? Data(contentsOf: url), let text = String(data: data, encoding: .utf8) else {
            throw BiostatisticsError.csv(path: path, line: 0, reason: "cannot read the file as UTF-8 text")
        }
        return try DataTable(csv: text, path: path)
    }

    /// Parses CSV text; every row must have as many cells as the header.
    public init(csv text: String, path: String = "<csv>") throws {
        self.path = path
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        guard let header = lines.first else { throw BiostatisticsError.csv(path: path, line: 1, reason: "no header row") }
        let names = DataTable.split(header).map { $0.trimmingCharacters(in: .whitespaces) }
        if let dup = Dictionary(grouping: names, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw BiostatisticsError.csv(path: path, line: 1, reason: "column \"\(dup)\" appears twice")
        }
        var columns = Array(repeating: [String](), count: names.count)
        for (k, line) in lines.dropFirst().enumerated() {
            let cells = DataTable.split(line)
            guard cells.count == names.count else {
                throw BiostatisticsError.csv(path: path, line: k + 2,
                                             reason: "expected \(names.count) cells, found \(cells.count)")
            }
            for c in 0..<cells.count { columns[c].append(cells[c].trimmingCharacters(in: .whitespaces)) }
        }
        if columns.first?.isEmpty ?? true { throw BiostatisticsError.csv(path: path, line: 2, reason: "no data rows") }
        self.names = names
        self.columns = columns
    }

    /// Splits one line at commas outside double quotes ("" inside quotes is a quote).
    static func split(_ line: String) -> [String] {
        var cells = [String](), cell = "", quoted = false
        var it = line.makeIterator()
        while let ch = it.next() {
            if quoted {
                if ch == "\"" {
                    // Either the closing quote or an escaped quote.
                    var lookahead = it
                    if lookahead.next() == "\"" { cell.append("\""); it = lookahead } else { quoted = false }
                } else { cell.append(ch) }
            } else if ch == "\"" { quoted = true } else if ch == "," { cells.append(cell); cell = "" } else { cell.append(ch) }
        }
        cells.append(cell)
        return cells
    }

    /// The index of a column, or a `missingColumn` error.
    public func index(of name: String) throws -> Int {
        guard let i = names.firstIndex(of: name) else { throw BiostatisticsError.missingColumn(path: path, name: name) }
        return i
    }

    /// A column as text.
    public func text(_ name: String) throws -> [String] { columns[try index(of: name)] }

    /// A column as finite numbers; "NA", empty, NaN or non-numeric cells are errors naming the line.
    public func numeric(_ name: String) throws -> [Double] {
        let cells = columns[try index(of: name)]
        var out = [Double]()
        out.reserveCapacity(cells.count)
        for (r, cell) in cells.enumerated() {
            guard let v = Double(cell), v.isFinite else {
                throw BiostatisticsError.csv(path: path, line: r + 2,
                                             reason: "column \"\(name)\": \"\(cell)\" is not a finite number")
            }
            out.append(v)
        }
        return out
    }
}
