import Foundation

/// The identifying and descriptive attributes of an Encapsulated PDF instance: the patient and
/// study come from the images (so a PACS files the report beside them), the series and
/// instance are the report's own.
public struct EncapsulatedPDFAttributes: Sendable, Equatable {
    public var patientName: String
    public var patientID: String
    public var patientBirthDate: String?
    public var patientSex: String?
    public var studyInstanceUID: String
    public var studyDate: String?
    public var studyTime: String?
    public var studyID: String?
    public var accessionNumber: String?
    public var referringPhysicianName: String?
    public var seriesInstanceUID: String
    public var sopInstanceUID: String
    public var seriesNumber: Int
    public var instanceNumber: Int
    public var documentTitle: String
    /// YYYYMMDD and HHMMSS of the report.
    public var contentDate: String
    public var contentTime: String
    public var manufacturer: String
    public var institutionName: String?

    public init(patientName: String, patientID: String, patientBirthDate: String? = nil, patientSex: String? = nil,
                studyInstanceUID: String, studyDate: String? = nil, studyTime: String? = nil, studyID: String? = nil,
                accessionNumber: String? = nil, referringPhysicianName: String? = nil,
                seriesInstanceUID: String, sopInstanceUID: String, seriesNumber: Int = 9901, instanceNumber: Int = 1,
                documentTitle: String, contentDate: String, contentTime: String, manufacturer: String = "her2mri",
                institutionName: String? = nil) {
        self.patientName = patientName; self.patientID = patientID; self.patientBirthDate = patientBirthDate
        self.patientSex = patientSex; self.studyInstanceUID = studyInstanceUID; self.studyDate = studyDate
        self.studyTime = studyTime; self.studyID = studyID; self.accessionNumber = accessionNumber
        self.referringPhysicianName = referringPhysicianName; self.seriesInstanceUID = seriesInstanceUID
        self.sopInstanceUID = sopInstanceUID; self.seriesNumber = seriesNumber; self.instanceNumber = instanceNumber
        self.documentTitle = documentTitle; self.contentDate = contentDate; self.contentTime = contentTime
        self.manufacturer = manufacturer; self.institutionName = institutionName
    }
}

/// Writes a PDF as a DICOM Encapsulated PDF Storage instance (SOP Class
/// 1.2.840.10008.5.1.4.1.1.104.1; PS3.3 §A.45.1 with the Patient, General Study, Encapsulated
/// Document Series, General Equipment, SC Equipment, Encapsulated Document and SOP Common
/// modules), Explicit VR Little Endian. The PDF bytes go unchanged into Encapsulated Document
/// (0042,0011), padded with one NUL to even length when needed; Encapsulated Document Length
/// (0042,0015) records the unpadded length so readers can strip the pad.
public enum DICOMEncapsulatedPDFWriter {
    public static let sopClassUID = "1.2.840.10008.5.1.4.1.1.104.1"

    /// A UID under the 2.25 root (PS3.5 §B.2) derived from `seed`, so the same report gets the
    /// same UID: two 64-bit FNV-1a hashes of the seed (with different offsets), at most 38 digits.
    public static func derivedUID(_ seed: String) -> String {
        func fnv(_ offset: UInt64) -> UInt64 {
            var h = offset
            for b in seed.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
            return h
        }
        let a = max(1, fnv(0xcbf29ce484222325) >> 1), b = fnv(0x84222325cbf29ce4) >> 4
        return "2.25.\(a)\(String(format: "%019llu", b))"
    }

    /// The Part 10 file image.
    public static func fileImage(pdf: Data, attributes a: EncapsulatedPDFAttributes, file: String = "report.dcm") throws -> Data {
        guard pdf.starts(with: Array("%PDF-".utf8)) else {
            throw ImageIOError.invalidHeader(file: file, field: "EncapsulatedDocument", reason: "the document is not a PDF (no %PDF- header)")
        }
        guard pdf.count < 0xFFFF_FFF0 else { throw ImageIOError.tooLarge(file: file, reason: "a PDF of \(pdf.count) bytes does not fit one DICOM element") }
        for (name, uid) in [("StudyInstanceUID", a.studyInstanceUID), ("SeriesInstanceUID", a.seriesInstanceUID), ("SOPInstanceUID", a.sopInstanceUID)] {
            try DICOMSeriesWriter.validateUID(uid, name, directory: file)
        }
        guard !a.patientID.isEmpty else { throw ImageIOError.invalidHeader(file: file, field: "PatientID", reason: "empty patient ID") }
        var e = DICOMEncoder(file: file)
        let texts = [a.patientName, a.patientID, a.documentTitle, a.institutionName ?? "", a.accessionNumber ?? "",
                     a.referringPhysicianName ?? "", a.studyID ?? "", a.manufacturer]
        if texts.contains(where: { $0.unicodeScalars.contains { !$0.isASCII } }) {
            e.set(DICOMTag(0x0008, 0x0005), "CS", "ISO_IR 192")                   // Specific Character Set: UTF-8
        }
        e.set(DICOMTag(0x0008, 0x0016), "UI", sopClassUID)                          // SOP Class UID
        e.set(DICOMTag(0x0008, 0x0018), "UI", a.sopInstanceUID)                     // SOP Instance UID
        e.set(DICOMTag(0x0008, 0x0020), "DA", a.studyDate ?? "")                    // Study Date (2)
        e.set(DICOMTag(0x0008, 0x0023), "DA", a.contentDate)                        // Content Date
        e.set(DICOMTag(0x0008, 0x002A), "DT", a.contentDate + a.contentTime)        // Acquisition DateTime (2)
        e.set(DICOMTag(0x0008, 0x0030), "TM", a.studyTime ?? "")                    // Study Time (2)
        e.set(DICOMTag(0x0008, 0x0033), "TM", a.contentTime)                        // Content Time
        e.set(DICOMTag(0x0008, 0x0050), "SH", a.accessionNumber ?? "")              // Accession Number (2)
        e.set(DICOMTag(0x0008, 0x0060), "CS", "DOC")                                // Modality
        e.set(DICOMTag(0x0008, 0x0064), "CS", "WSD")                                // Conversion Type: workstation
        e.set(DICOMTag(0x0008, 0x0070), "LO", a.manufacturer)                       // Manufacturer (2)
        if let i = a.institutionName { e.set(DICOMTag(0x0008, 0x0080), "LO", i) }  // Institution Name (3)
        e.set(DICOMTag(0x0008, 0x0090), "PN", a.referringPhysicianName ?? "")       // Referring Physician's Name (2)
        e.set(DICOMTag(0x0010, 0x0010), "PN", a.patientName)                        // Patient's Name (2)
        e.set(DICOMTag(0x0010, 0x0020), "LO", a.patientID)                          // Patient ID (2)
        e.set(DICOMTag(0x0010, 0x0030), "DA", a.patientBirthDate ?? "")             // Patient's Birth Date (2)
        e.set(DICOMTag(0x0010, 0x0040), "CS", a.patientSex ?? "")                   // Patient's Sex (2)
        e.set(DICOMTag(0x0020, 0x000D), "UI", a.studyInstanceUID)                   // Study Instance UID
        e.set(DICOMTag(0x0020, 0x000E), "UI", a.seriesInstanceUID)                  // Series Instance UID
        e.set(DICOMTag(0x0020, 0x0010), "SH", a.studyID ?? "")                      // Study ID (2)
        e.set(DICOMTag(0x0020, 0x0011), "IS", String(a.seriesNumber))               // Series Number
        e.set(DICOMTag(0x0020, 0x0013), "IS", String(a.instanceNumber))             // Instance Number
        e.set(DICOMTag(0x0028, 0x0301), "CS", "YES")                                // Burned In Annotation: the PDF names the patient
        e.setBytes(DICOMTag(0x0040, 0xA043), "SQ", [])                              // Concept Name Code Sequence (2), empty
        e.set(DICOMTag(0x0042, 0x0010), "ST", a.documentTitle)                      // Document Title (2)
        e.setBytes(DICOMTag(0x0042, 0x0011), "OB", Array(pdf))                      // Encapsulated Document
        e.set(DICOMTag(0x0042, 0x0012), "LO", "application/pdf")                    // MIME Type of Encapsulated Document
        let n = UInt32(pdf.count)
        e.setBytes(DICOMTag(0x0042, 0x0015), "UL", [UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 24)])
        return Data(try DICOMEncoder.fileImage(dataSet: e, sopClassUID: sopClassUID, sopInstanceUID: a.sopInstanceUID))
    }
}
