import Foundation
import Testing
import ImageIO
@testable import Reports

/// report.dcm: pydicom reads the same PDF bytes back; dciodvfy finds no errors.
@Suite struct EncapsulatedPDFTests {
    @Test func pydicomAndDciodvfy() throws {
        let input = try PatientReportInput.example(patientName: "王^Mei")
        let dir = try TestSupport.tempFolder("dcm").appendingPathComponent("out")
        let study = PatientDocuments.DICOMStudy(studyInstanceUID: "1.2.826.0.1.3680043.8.498.12345", studyTime: "101500", studyID: "7")
        _ = try PatientDocuments.write(input, dicomStudy: study, to: dir.path)
        let dcm = dir.appendingPathComponent("report.dcm").path, pdf = dir.appendingPathComponent("report.pdf").path
        let pydicomOK = (try? TestSupport.run("/usr/bin/python3", ["-c", "import pydicom"]).0) == 0
        if pydicomOK {
            let (st, text) = try TestSupport.run("/usr/bin/python3", [TestSupport.root.appendingPathComponent("tools/reports/check_dicom_pdf.py").path, dcm, pdf])
            #expect(st == 0, "\(text)")
            if st == 0 {
                let r = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
                #expect(r["sopClassUID"] as? String == "1.2.840.10008.5.1.4.1.1.104.1")
                #expect(r["mediaStorageSOPClassUID"] as? String == "1.2.840.10008.5.1.4.1.1.104.1")
                #expect(r["transferSyntax"] as? String == "1.2.840.10008.1.2.1")
                #expect(r["studyInstanceUID"] as? String == study.studyInstanceUID)
                #expect(r["patientID"] as? String == "PID-0007")
                #expect(r["patientName"] as? String == "王^Mei")
                #expect(r["modality"] as? String == "DOC" && r["mimeType"] as? String == "application/pdf")
                #expect(r["pdfEqual"] as? Bool == true, "PDF bytes differ after the DICOM round trip")
                #expect(r["padBytesZero"] as? Bool == true)
            }
        } else {
            print("skipped pydicom check: python3-pydicom not installed (make setup installs it)")
        }
        if let dciodvfy = TestSupport.which("dciodvfy") {
            let (_, text) = try TestSupport.run(dciodvfy, [dcm])
            let errors = text.split(separator: "\n").filter { $0.hasPrefix("Error") }
            #expect(errors.isEmpty, "dciodvfy: \(errors.joined(separator: "\n"))")
            #expect(text.contains("EncapsulatedPDF") || text.contains("Encapsulated PDF"), "dciodvfy did not recognise the IOD: \(text.prefix(300))")
        } else {
            print("skipped dciodvfy check: dicom3tools not installed (make setup installs it)")
        }
    }

    @Test func refusesNonPDFAndBadUIDs() throws {
        let a = EncapsulatedPDFAttributes(patientName: "X", patientID: "1", studyInstanceUID: "1.2.3", seriesInstanceUID: "1.2.3.4",
                                          sopInstanceUID: "1.2.3.4.5", documentTitle: "t", contentDate: "20261201", contentTime: "120000")
        #expect(throws: ImageIOError.self) { try DICOMEncapsulatedPDFWriter.fileImage(pdf: Data("hello".utf8), attributes: a) }
        var bad = a
        bad.studyInstanceUID = "1.02.x"
        #expect(throws: ImageIOError.self) { try DICOMEncapsulatedPDFWriter.fileImage(pdf: Data("%PDF-1.5".utf8), attributes: bad) }
        let uid = DICOMEncapsulatedPDFWriter.derivedUID("seed")
        #expect(uid.hasPrefix("2.25.") && uid.count <= 64 && uid == DICOMEncapsulatedPDFWriter.derivedUID("seed"))
        #expect(uid != DICOMEncapsulatedPDFWriter.derivedUID("seed2"))
    }
}
