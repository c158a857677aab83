import Foundation
import Biostatistics

/// Table 1: baseline characteristics of HER2-positive and HER2-negative patients with a test
/// per variable — age as mean (SD) with Welch's t test; tumour size as median [IQR] with the
/// Mann–Whitney test (normal approximation with continuity correction, R's `wilcox.test(exact
/// = FALSE)`); binary and categorical variables as n (%) with Pearson's χ² test without
/// continuity correction, or Fisher's exact test when an expected count is below 5 (Cochran's
/// rule). Missing cells are left out per variable and counted.
public struct BaselineTable: Sendable {
    public struct Row: Sendable {
        /// Variable name, and the level for categorical rows ("" for the variable's own row).
        public let variable: String
        public let level: String
        public let positive: String
        public let negative: String
        public let p: Double?
        public let test: String
        /// The clinical column, and missing cells (for the drawn table's wording).
        public var column: String = ""
        public var missing: Int = 0
    }
    public let rows: [Row]
    public let positives: Int, negatives: Int

    /// Display names of the clinical columns.
    public static let displayNames = [
        "age": "Age (years)", "tumourSizeMm": "Tumour size (mm)", "lymphNodeInvolvement": "Lymph-node involvement",
        "microcalcifications": "Microcalcifications", "kineticType": "Kinetic curve type",
        "peritumoralEdema": "Peritumoral oedema", "centre": "Centre",
    ]

    init(_ t: PredictionsTable) throws {
        let pos = t.labels.map { $0 == 1 }
        positives = pos.filter { $0 }.count
        negatives = pos.count - positives
        var rows = [Row]()
        for (name, cells) in t.clinical {
            let display = BaselineTable.displayNames[name] ?? name
            let present = cells.indices.filter { !cells[$0].isEmpty && cells[$0].uppercased() != "NA" }
            let missing = cells.count - present.count
            let suffix = missing > 0 ? " — \(missing) missing" : ""
            if name == "age" || name == "tumourSizeMm" {
                var a = [Double](), b = [Double]()
                for i in present {
                    guard let v = Double(cells[i]), v.isFinite else {
                        throw ReportsError.predictions(path: t.path, line: i + 2, column: name, reason: "\"\(cells[i])\" is not a number")
                    }
                    if pos[i] { a.append(v) } else { b.append(v) }
                }
                guard a.count >= 2 && b.count >= 2 else {
                    rows.append(Row(variable: display + suffix, level: "", positive: "n = \(a.count)", negative: "n = \(b.count)", p: nil, test: "too few values", column: name, missing: missing))
                    continue
                }
                if name == "age" {
                    let tt = try GroupComparison.welchT(a, b)
                    rows.append(Row(variable: display + suffix, level: "", positive: BaselineTable.meanSD(a), negative: BaselineTable.meanSD(b),
                                    p: tt.p, test: "Welch t", column: name, missing: missing))
                } else {
                    let mw = try GroupComparison.mannWhitney(a, b)
                    rows.append(Row(variable: display + suffix, level: "", positive: BaselineTable.medianIQR(a), negative: BaselineTable.medianIQR(b),
                                    p: mw.p, test: "Mann–Whitney", column: name, missing: missing))
                }
            } else {
                let levels = Array(Set(present.map { cells[$0] })).sorted { a, b in
                    if let x = Double(a), let y = Double(b) { return x < y }
                    return a < b
                }
                var table = [[Double]](repeating: [Double](repeating: 0, count: levels.count), count: 2)
                for i in present { table[pos[i] ? 0 : 1][levels.firstIndex(of: cells[i])!] += 1 }
                var p: Double? = nil, test = "one level only"
                if levels.count >= 2 {
                    let chi = try GroupComparison.chiSquare(table)
                    if chi.expected.flatMap({ $0 }).contains(where: { $0 < 5 }) {
                        p = try GroupComparison.fisherExact(table); test = "Fisher exact"
                    } else { p = chi.p; test = "χ²" }
                }
                let np = table[0].reduce(0, +), nn = table[1].reduce(0, +)
                let binary = Set(levels) == Set(["0", "1"]) || Set(levels) == Set(["false", "true"])
                if binary {
                    let k = levels.firstIndex(where: { $0 == "1" || $0 == "true" })!
                    rows.append(Row(variable: display + suffix, level: "", positive: BaselineTable.count(table[0][k], np),
                                    negative: BaselineTable.count(table[1][k], nn), p: p, test: test, column: name, missing: missing))
                } else {
                    rows.append(Row(variable: display + suffix, level: "", positive: "", negative: "", p: p, test: test, column: name, missing: missing))
                    for (k, level) in levels.enumerated() {
                        rows.append(Row(variable: "", level: name == "kineticType" ? "type \(level)" : level,
                                        positive: BaselineTable.count(table[0][k], np), negative: BaselineTable.count(table[1][k], nn), p: nil, test: "",
                                        column: name))
                    }
                }
            }
        }
        self.rows = rows
    }

    static func meanSD(_ v: [Double]) -> String {
        let m = v.reduce(0, +) / Double(v.count)
        let sd = (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count - 1)).squareRoot()
        return String(format: "%.1f (%.1f)", m, sd)
    }
    static func medianIQR(_ v: [Double]) -> String {
        String(format: "%.1f [%.1f–%.1f]", quantile(v, 0.5), quantile(v, 0.25), quantile(v, 0.75))
    }
    /// Hyndman & Fan's type 7 quantile (R's default).
    static func quantile(_ values: [Double], _ p: Double) -> Double {
        let v = values.sorted()
        let h = Double(v.count - 1) * p
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, v.count - 1)
        return v[lo] + (h - Double(lo)) * (v[hi] - v[lo])
    }
    static func count(_ k: Double, _ n: Double) -> String {
        n > 0 ? String(format: "%d (%.1f %%)", Int(k), 100 * k / n) : "0"
    }
}
