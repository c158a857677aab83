import Foundation
import Testing
@testable import Reports

/// Bad predictions CSVs are refused with line and column, and nothing is left in --out.
@Suite struct PredictionsTableTests {
    func refuse(_ csv: String, line: Int, column: String?, containing: String) throws {
        let dir = try TestSupport.tempFolder("bad")
        let path = dir.appendingPathComponent("p.csv").path
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        do {
            _ = try CohortReport.run(predictions: path, out: out.path)
            Issue.record("accepted a bad CSV: \(csv)")
        } catch let ReportsError.predictions(p, l, c, reason) {
            #expect(p == path)
            #expect(l == line, "line \(l) for \(reason)")
            if let column { #expect(c?.hasPrefix(column) == true, "column \(c ?? "nil")") }
            #expect(reason.contains(containing), "reason: \(reason)")
        }
        #expect(!FileManager.default.fileExists(atPath: out.path), "output folder created for a refused input")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0 != "p.csv" }
        #expect(leftovers.isEmpty, "left behind: \(leftovers)")
    }

    static let good = "id,label,deep\nA,1,0.9\nB,0,0.2\nC,1,0.7\nD,0,0.4\n"

    @Test func missingColumn() throws {
        try refuse("id,deep\nA,0.9\nB,0.1\n", line: 1, column: "label", containing: "missing column")
        try refuse("id,label\nA,1\nB,0\n", line: 1, column: nil, containing: "no probability column")
    }
    @Test func nonNumericProbability() throws {
        try refuse("id,label,deep\nA,1,0.9\nB,0,abc\nC,1,0.5\n", line: 3, column: "deep (column 3)", containing: "not a number")
        try refuse("id,label,deep\nA,1,90\nB,0,0.1\n", line: 2, column: "deep", containing: "outside [0, 1]")
    }
    @Test func oneClassOnly() throws {
        try refuse("id,label,deep\nA,1,0.9\nB,1,0.1\n", line: 3, column: "label", containing: "one class only")
    }
    @Test func duplicateId() throws {
        try refuse("id,label,deep\nA,1,0.9\nB,0,0.1\nA,0,0.3\n", line: 4, column: "id (column 1)", containing: "first on line 2")
    }
    @Test func badLabel() throws {
        try refuse("id,label,deep\nA,yes,0.9\nB,0,0.1\n", line: 2, column: "label", containing: "not 0 or 1")
    }
    @Test func ragged() throws {
        try refuse("id,label,deep\nA,1,0.9\nB,0\n", line: 3, column: nil, containing: "expected 3 cells")
    }

    /// An existing output folder is untouched when the input is refused.
    @Test func existingOutputUntouched() throws {
        let dir = try TestSupport.tempFolder("keep")
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try "old".write(to: out.appendingPathComponent("roc.pdf"), atomically: true, encoding: .utf8)
        let path = dir.appendingPathComponent("p.csv").path
        try "id,label,deep\nA,1,0.9\nA,0,0.1\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ReportsError.self) { try CohortReport.run(predictions: path, out: out.path) }
        #expect(try String(contentsOf: out.appendingPathComponent("roc.pdf"), encoding: .utf8) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["out", "p.csv"])
    }

    @Test func modelsAndClinicalColumnsAreSeparated() throws {
        let t = try PredictionsTable.read(path: TestSupport.fixture("cohort_predictions.csv"))
        #expect(t.models == ["clinical", "deep", "combined"])
        #expect(t.clinical.map { $0.name } == PredictionsTable.clinicalColumns)
        #expect(t.ids.count == 240)
    }
}
