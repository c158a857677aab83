import Foundation
import HER2Model
import ImageIO

/// The four per-study outputs that `her2mri predict` writes beside `prediction.json`:
/// `report.pdf`, `hl7.xml` (validated against the shipped XSD), `hl7.er7` and `report.dcm`
/// (the PDF as DICOM Encapsulated PDF in the patient's study). All four are written together
/// or not at all.
public enum PatientDocuments {
    /// DICOM identifiers of the study the images came from; nil for NIfTI studies (then the
    /// report.dcm gets a Study Instance UID derived from the patient and study IDs, and will not
    /// join an existing PACS study).
    public struct DICOMStudy: Sendable {
        public var studyInstanceUID: String
        public var studyTime: String?
        public var studyID: String?
        public var referringPhysicianName: String?
        public init(studyInstanceUID: String, studyTime: String? = nil, studyID: String? = nil, referringPhysicianName: String? = nil) {
            self.studyInstanceUID = studyInstanceUID; self.studyTime = studyTime
            self.studyID = studyID; self.referringPhysicianName = referringPhysicianName
        }
    }

    /// The documents as bytes, by file name.
    public static func render(_ input: PatientReportInput, dicomStudy: DICOMStudy?, templates t: ReportTemplates = .standard) throws -> [(name: String, data: Data)] {
        let pdf = try PatientReport.render(input, templates: t)
        let p = input.prediction, m = input.manifest
        let stamp = ORUMessage.dtm(input.reportTime)
        let controlId = "\(p.studyId)-\(stamp.prefix(14))"
        let message = try ORUMessage.build(.init(prediction: p, manifest: m, model: input.model, pdf: pdf,
                                                 controlId: String(controlId.prefix(199)), time: input.reportTime), templates: t)
        let xml = try HL7XMLEncoder.encode(message)
        let er7 = Data(HL7ER7Encoder.encode(message).utf8)
        let studyUID = dicomStudy?.studyInstanceUID ?? DICOMEncapsulatedPDFWriter.derivedUID("study:\(m.patient.id):\(p.studyId)")
        let dcm = try DICOMEncapsulatedPDFWriter.fileImage(pdf: pdf, attributes: EncapsulatedPDFAttributes(
            patientName: m.patient.name ?? "", patientID: m.patient.id, patientBirthDate: m.patient.birthDate,
            patientSex: m.patient.sex, studyInstanceUID: studyUID, studyDate: m.study.date, studyTime: dicomStudy?.studyTime,
            studyID: dicomStudy?.studyID, accessionNumber: m.study.accessionNumber,
            referringPhysicianName: dicomStudy?.referringPhysicianName,
            seriesInstanceUID: DICOMEncapsulatedPDFWriter.derivedUID("series:\(studyUID):her2mri-report"),
            sopInstanceUID: DICOMEncapsulatedPDFWriter.derivedUID("instance:\(studyUID):\(stamp)"),
            documentTitle: t.text("reportTitle"), contentDate: String(stamp.prefix(8)), contentTime: String(stamp.dropFirst(8).prefix(6)),
            institutionName: t.site.site.institution))
        return [("report.pdf", pdf), ("hl7.xml", xml), ("hl7.er7", er7), ("report.dcm", dcm)]
    }

    /// Renders and writes the four files into `folder` (created if missing) all at once.
    public static func write(_ input: PatientReportInput, dicomStudy: DICOMStudy?, to folder: String, templates t: ReportTemplates = .standard) throws -> [String] {
        let files = try render(input, dicomStudy: dicomStudy, templates: t)
        try OutputFolder.write(files, to: folder)
        return files.map { (folder as NSString).appendingPathComponent($0.name) }
    }
}
