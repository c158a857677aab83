import Foundation

extension FeatureTable.Row {
    /// The reader's row of one study: clinical facts from study.json, size, kinetic type and
    /// oedema from the lesion measures (which already hold study.json's overrides), the deep
    /// features of that reader's mask. A missing clinical fact is an error naming the study.
    public init(_ f: StudyFeatures, reader: Int) throws {
        precondition(reader == 1 || reader == 2, "reader is 1 or 2")
        let c = f.manifest.clinical
        func missing(_ key: String) -> HER2ModelError {
            .invalidStudy(path: "\(f.studyId)/study.json", reason: "clinical.\(key) is missing; the model needs it (potential fix: add it to study.json)")
        }
        guard let age = c.age else { throw missing("age") }
        guard let node = c.lymphNodeInvolvement else { throw missing("lymphNodeInvolvement") }
        guard let micro = c.microcalcifications else { throw missing("microcalcifications") }
        self.init(studyId: f.studyId, reader: reader, her2: f.manifest.her2.map { $0 == .positive },
                  centre: f.manifest.study.centre ?? "", age: Double(age), lymphNodeInvolvement: node,
                  microcalcifications: micro, tumourSizeMm: f.measures.diameterMm, kineticType: f.measures.kineticType,
                  peritumoralEdema: f.measures.peritumoralEdema, features: reader == 1 ? f.reader1 : f.reader2)
    }
}

extension FeatureTable {
    /// The table of studies (two rows each, reader 1 then 2); every study must have the same
    /// feature names.
    public init(studies: [StudyFeatures]) throws {
        guard let first = studies.first else { throw HER2ModelError.invalidArgument("no study to make a feature table of") }
        var rows = [Row]()
        rows.reserveCapacity(2 * studies.count)
        for s in studies {
            guard s.names == first.names else {
                throw HER2ModelError.invalidStudy(path: s.studyId, reason: "its feature names differ from \(first.studyId)'s (other backbones or settings)")
            }
            rows.append(try Row(s, reader: 1))
            rows.append(try Row(s, reader: 2))
        }
        try self.init(featureNames: first.names, rows: rows)
    }
}
