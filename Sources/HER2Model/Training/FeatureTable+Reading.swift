import Foundation

extension FeatureTable {
    /// Reads a feature table CSV; a fault names the file, the line and the column.
    public static func read(path: String) throws -> FeatureTable {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw HER2ModelError.invalidFeatureTable(path: path, line: 0, column: nil, reason: "no such file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HER2ModelError.invalidFeatureTable(path: path, line: 0, column: nil, reason: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw HER2ModelError.invalidFeatureTable(path: path, line: 0, column: nil, reason: "not UTF-8 text")
        }
        return try FeatureTable(csv: text, path: path)
    }

    /// Parses feature-table CSV text (format in `FeatureTable`'s documentation).
    public init(csv text: String, path: String = "<feature table>") throws {
        func fault(_ line: Int, _ column: String?, _ why: String) -> HER2ModelError {
            .invalidFeatureTable(path: path, line: line, column: column, reason: why)
        }
        var lineNumber = 0
        var header: [String]?
        var rows = [Row]()
        var seen = Set<String>()
        var failure: HER2ModelError?
        text.enumerateLines { rawLine, stop in
            lineNumber += 1
            let line = rawLine.hasSuffix("\r") ? String(rawLine.dropLast()) : rawLine
            if line.trimmingCharacters(in: .whitespaces).isEmpty { return }
            do {
                let cells = try FeatureTable.split(line, path: path, line: lineNumber)
                guard let names = header else {
                    let fixed = FeatureTable.fixedColumns
                    guard cells.count >= fixed.count, Array(cells.prefix(fixed.count)) == fixed else {
                        let got = cells.prefix(fixed.count).joined(separator: ",")
                        throw fault(lineNumber, nil, "the header must start with \(fixed.joined(separator: ",")); found \(got)")
                    }
                    if let dup = FeatureTable.firstDuplicate(cells) { throw fault(lineNumber, dup, "the column appears twice") }
                    if let empty = cells.firstIndex(of: "") { throw fault(lineNumber, nil, "column \(empty + 1) has no name") }
                    header = cells
                    return
                }
                guard cells.count == names.count else {
                    throw fault(lineNumber, nil, "expected \(names.count) cells, found \(cells.count)")
                }
                func number(_ i: Int) throws -> Double {
                    guard let v = Double(cells[i]), v.isFinite else {
                        throw fault(lineNumber, names[i], "\"\(cells[i])\" is not a finite number")
                    }
                    return v
                }
                func flag(_ i: Int) throws -> Bool {
                    switch cells[i] {
                    case "1": return true
                    case "0": return false
                    default: throw fault(lineNumber, names[i], "\"\(cells[i])\" is not 1 or 0")
                    }
                }
                let studyId = cells[0]
                guard !studyId.isEmpty else { throw fault(lineNumber, "studyId", "empty study id") }
                guard let reader = Int(cells[1]), reader == 1 || reader == 2 else {
                    throw fault(lineNumber, "reader", "\"\(cells[1])\" is not 1 or 2")
                }
                guard seen.insert("\(studyId)\u{0}\(reader)").inserted else {
                    throw fault(lineNumber, "studyId", "study \(studyId) appears twice for reader \(reader)")
                }
                let her2: Bool? = cells[2].isEmpty ? nil : try flag(2)
                guard let kinetic = Int(cells[8]), (1...3).contains(kinetic) else {
                    throw fault(lineNumber, "kineticType", "\"\(cells[8])\" is not 1, 2 or 3")
                }
                var features = [Double]()
                features.reserveCapacity(names.count - FeatureTable.fixedColumns.count)
                // A radiomics feature may be `nan` (pyradiomics' documented undefined values;
                // training leaves such columns out); deep features and infinities never.
                for i in FeatureTable.fixedColumns.count..<names.count {
                    features.append(cells[i] == "nan" && FeatureFamily.of(featureName: names[i]) == .radiomics ? .nan : try number(i))
                }
                rows.append(Row(studyId: studyId, reader: reader, her2: her2, centre: cells[3], age: try number(4),
                                lymphNodeInvolvement: try flag(5), microcalcifications: try flag(6),
                                tumourSizeMm: try number(7), kineticType: kinetic, peritumoralEdema: try flag(9),
                                features: features))
            } catch let e as HER2ModelError {
                failure = e
                stop = true
            } catch {
                failure = fault(lineNumber, nil, "\(error)")
                stop = true
            }
        }
        if let failure { throw failure }
        guard let names = header else { throw fault(1, nil, "empty file: no header row") }
        guard !rows.isEmpty else { throw fault(lineNumber + 1, nil, "no data rows") }
        try self.init(featureNames: Array(names.dropFirst(FeatureTable.fixedColumns.count)), rows: rows)
    }

    /// Splits one CSV line at commas outside double quotes (RFC 4180; "" inside quotes is a quote).
    static func split(_ line: String, path: String, line number: Int) throws -> [String] {
        // Fast path (every feature row): no quote, split the UTF-8 bytes at commas.
        if !line.utf8.contains(UInt8(ascii: "\"")) {
            return line.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
                .map { String(Substring($0)) }
        }
        var cells = [String](), cell = "", quoted = false, afterQuote = false
        for ch in line {
            if quoted {
                if ch == "\"" { quoted = false; afterQuote = true } else { cell.append(ch) }
            } else if ch == "\"" {
                if afterQuote { cell.append("\""); quoted = true; afterQuote = false }
                else if cell.isEmpty { quoted = true }
                else { throw HER2ModelError.invalidFeatureTable(path: path, line: number, column: nil,
                                                                reason: "a quote inside an unquoted cell (cell \(cells.count + 1))") }
            } else if ch == "," {
                cells.append(cell); cell = ""; afterQuote = false
            } else {
                cell.append(ch); afterQuote = false
            }
        }
        if quoted {
            throw HER2ModelError.invalidFeatureTable(path: path, line: number, column: nil, reason: "unterminated quote")
        }
        cells.append(cell)
        return cells
    }
}
