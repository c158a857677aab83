import Foundation

/// The feature table: one row per study and reader, the clinical predictors and the deep
/// features that training fits on (`her2mri train --features table.csv`).
///
/// CSV format (stated once): header
/// `studyId,reader,her2,centre,age,lymphNodeInvolvement,microcalcifications,tumourSizeMm,kineticType,peritumoralEdema,<feature names…>`;
/// `reader` is 1 (the given or automatic mask) or 2 (the second reader's or the perturbed mask,
/// the ICC input); `her2` is 1 positive, 0 negative, empty when unlabelled; booleans are 1/0;
/// `kineticType` is 1 persistent, 2 plateau, 3 washout; numbers are written in Swift's shortest
/// round-trip form, so a table read back holds exactly the values written; an undefined
/// radiomics value (pyradiomics' documented NaN cases) is written and read as `nan`.
public struct FeatureTable: Sendable, Equatable {
    /// One study as read by one reader.
    public struct Row: Sendable, Equatable {
        public var studyId: String
        /// 1 or 2.
        public var reader: Int
        /// HER2-positive; nil when unlabelled.
        public var her2: Bool?
        public var centre: String
        public var age: Double
        public var lymphNodeInvolvement: Bool
        public var microcalcifications: Bool
        /// Longest diameter, mm (measured, or study.json's override).
        public var tumourSizeMm: Double
        /// 1, 2 or 3.
        public var kineticType: Int
        public var peritumoralEdema: Bool
        /// One value per `FeatureTable.featureNames`.
        public var features: [Double]

        public init(studyId: String, reader: Int, her2: Bool?, centre: String, age: Double,
                    lymphNodeInvolvement: Bool, microcalcifications: Bool, tumourSizeMm: Double,
                    kineticType: Int, peritumoralEdema: Bool, features: [Double]) {
            self.studyId = studyId
            self.reader = reader
            self.her2 = her2
            self.centre = centre
            self.age = age
            self.lymphNodeInvolvement = lymphNodeInvolvement
            self.microcalcifications = microcalcifications
            self.tumourSizeMm = tumourSizeMm
            self.kineticType = kineticType
            self.peritumoralEdema = peritumoralEdema
            self.features = features
        }

        /// The clinical predictors in `ClinicalPredictors.names` order.
        public var clinicalValues: [Double] {
            [tumourSizeMm, Double(kineticType), peritumoralEdema ? 1 : 0,
             lymphNodeInvolvement ? 1 : 0, microcalcifications ? 1 : 0, age]
        }
    }

    /// The fixed leading columns, in file order.
    public static let fixedColumns = ["studyId", "reader", "her2", "centre", "age", "lymphNodeInvolvement",
                                      "microcalcifications", "tumourSizeMm", "kineticType", "peritumoralEdema"]

    /// Stable deep-feature names (`resnet50.dce_sub.f0123`), in column order.
    public let featureNames: [String]
    public let rows: [Row]

    /// A table; every row must carry one value per feature name, and names must be unique.
    public init(featureNames: [String], rows: [Row]) throws {
        if let dup = FeatureTable.firstDuplicate(FeatureTable.fixedColumns + featureNames) {
            throw HER2ModelError.invalidArgument("feature table: column \"\(dup)\" appears twice")
        }
        for r in rows where r.features.count != featureNames.count {
            throw HER2ModelError.invalidArgument(
                "feature table: study \(r.studyId) reader \(r.reader) has \(r.features.count) features, the table has \(featureNames.count) names")
        }
        self.featureNames = featureNames
        self.rows = rows
    }

    /// The header line (no newline).
    public var headerLine: String { (FeatureTable.fixedColumns + featureNames).map(FeatureTable.quoted).joined(separator: ",") }

    /// One row as a CSV line (no newline).
    public static func line(_ r: Row) -> String {
        var cells = [quoted(r.studyId), String(r.reader), r.her2.map { $0 ? "1" : "0" } ?? "", quoted(r.centre),
                     number(r.age), r.lymphNodeInvolvement ? "1" : "0", r.microcalcifications ? "1" : "0",
                     number(r.tumourSizeMm), String(r.kineticType), r.peritumoralEdema ? "1" : "0"]
        cells.reserveCapacity(cells.count + r.features.count)
        for v in r.features { cells.append(number(v)) }
        return cells.joined(separator: ",")
    }

    /// The whole table as CSV text (header, rows, final newline).
    public func csv() -> String {
        var out = headerLine + "\n"
        for r in rows { out += FeatureTable.line(r) + "\n" }
        return out
    }

    /// Shortest round-trip decimal form; integers without a fraction.
    static func number(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    /// Quotes a cell holding a comma, quote or line break (RFC 4180).
    static func quoted(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func firstDuplicate(_ names: [String]) -> String? {
        var seen = Set<String>()
        for n in names where !seen.insert(n).inserted { return n }
        return nil
    }
}
