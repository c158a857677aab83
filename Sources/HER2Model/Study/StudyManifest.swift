import Foundation

/// `study.json`: the clinical and identifying facts of one study folder (DESIGN.md, "Contracts").
/// Keys are fixed so other tools can write the file; optional clinical keys override what the
/// images give.
public struct StudyManifest: Codable, Sendable, Equatable {
    public struct Patient: Codable, Sendable, Equatable {
        public var id: String
        /// DICOM PN form, Family^Given.
        public var name: String?
        /// YYYYMMDD.
        public var birthDate: String?
        public var sex: String?

        public init(id: String, name: String? = nil, birthDate: String? = nil, sex: String? = nil) {
            self.id = id
            self.name = name
            self.birthDate = birthDate
            self.sex = sex
        }
    }

    public struct Study: Codable, Sendable, Equatable {
        public var accessionNumber: String?
        /// YYYYMMDD.
        public var date: String?
        public var centre: String?

        public init(accessionNumber: String? = nil, date: String? = nil, centre: String? = nil) {
            self.accessionNumber = accessionNumber
            self.date = date
            self.centre = centre
        }
    }

    public struct Clinical: Codable, Sendable, Equatable {
        public var age: Int?
        public var lymphNodeInvolvement: Bool?
        public var microcalcifications: Bool?
        /// Overrides the measured longest diameter (mm).
        public var tumourSizeMm: Double?
        /// Overrides the measured kinetic curve type (1, 2 or 3).
        public var kineticType: Int?
        /// Overrides the oedema found on T2.
        public var peritumoralEdema: Bool?

        public init(age: Int? = nil, lymphNodeInvolvement: Bool? = nil, microcalcifications: Bool? = nil,
                    tumourSizeMm: Double? = nil, kineticType: Int? = nil, peritumoralEdema: Bool? = nil) {
            self.age = age
            self.lymphNodeInvolvement = lymphNodeInvolvement
            self.microcalcifications = microcalcifications
            self.tumourSizeMm = tumourSizeMm
            self.kineticType = kineticType
            self.peritumoralEdema = peritumoralEdema
        }
    }

    /// HER2 status of a training study.
    public enum HER2: String, Codable, Sendable {
        case positive
        case negative
    }

    public var patient: Patient
    public var study: Study
    public var clinical: Clinical
    public var her2: HER2?
    /// Series Instance UID → "T1" | "T2" | "DCE": overrides the header-based classification.
    public var sequences: [String: String]?

    public init(patient: Patient, study: Study, clinical: Clinical, her2: HER2? = nil, sequences: [String: String]? = nil) {
        self.patient = patient
        self.study = study
        self.clinical = clinical
        self.her2 = her2
        self.sequences = sequences
    }

    /// Canonical bytes: sorted keys, pretty printed, so the same facts give the same file.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }
}
