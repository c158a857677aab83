import Foundation

/// The patient and study identifiers of a DICOM header (issue 3 item 4): what a study folder
/// of pure DICOM gives the `Study` when `study.json` leaves them out.
///
/// Text is decoded by the file's Specific Character Set (`DICOMCharacterSet`); a value that
/// needs a set this reader cannot decode is an error naming the tag rather than a wrong name.
/// Empty values read as nil (a de-identified file keeps the elements with empty values).
/// These values identify a patient: never log them in clear (issue 3 item 5).
public struct DICOMStudyIdentifiers: Equatable, Sendable {
    /// Patient ID (0010,0020).
    public var patientID: String?
    /// Patient's Name (0010,0010); `patientName?.alphabetic` is the Family^Given form.
    public var patientName: DICOMPersonName?
    /// Patient's Birth Date (0010,0030), YYYYMMDD as stored.
    public var patientBirthDate: String?
    /// Patient's Sex (0010,0040): M, F or O.
    public var patientSex: String?
    /// Accession Number (0008,0050).
    public var accessionNumber: String?
    /// Study Date (0008,0020), YYYYMMDD as stored.
    public var studyDate: String?
    /// Study Instance UID (0020,000D).
    public var studyInstanceUID: String?
    /// Institution Name (0008,0080).
    public var institutionName: String?
    /// Manufacturer (0008,0070).
    public var manufacturer: String?

    /// The identifiers of a data set (top level).
    public init(_ dataSet: DICOMDataSet) throws {
        func value(_ tag: DICOMTag) throws -> String? {
            guard let v = try dataSet.text(tag), !v.isEmpty else { return nil }
            return v
        }
        patientID = try value(.patientID)
        if let name = try value(.patientName) { patientName = DICOMPersonName(name) }
        patientBirthDate = try value(.patientBirthDate)
        patientSex = try value(.patientSex)
        accessionNumber = try value(.accessionNumber)
        studyDate = try value(.studyDate)
        studyInstanceUID = try value(.studyInstanceUID)
        institutionName = try value(.institutionName)
        manufacturer = try value(.manufacturer)
    }

    /// The identifiers in the header of `url` (pixel data is not read).
    public init(contentsOf url: URL) throws {
        try self.init(try DICOMReader.readHeader(url).dataSet)
    }
}
