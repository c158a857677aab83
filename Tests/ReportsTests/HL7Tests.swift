import Foundation
import Testing
@testable import Reports

/// HL7 v2.5.1 ORU^R01: escaping, schema validation (libxml2 here, lxml in the script), and an
/// independent reading of both encodings (tools/reports/check_hl7.py: ElementTree on the XML,
/// hl7apy + python-hl7 on the ER7).
@Suite struct HL7Tests {
    /// Family "王&<Li>" with given "Mei|Ling~x\y" (PN form Family^Given), accession with ^.
    static let awkwardName = "王&<Li>^Mei|Ling~x\\y"

    static func message(pdf: Data? = Data("%PDF-1.5 test".utf8)) throws -> (HL7Message, PatientReportInput) {
        var input = try PatientReportInput.example(patientName: awkwardName)
        input.manifest.study.accessionNumber = "ACC^7&8"
        let m = try ORUMessage.build(.init(prediction: input.prediction, manifest: input.manifest, model: input.model, pdf: pdf,
                                           controlId: "C-1", time: input.reportTime))
        return (m, input)
    }

    @Test func er7EscapesDelimiters() {
        // HL7 v2.5.1 §2.7.1: \F\ field, \S\ component, \T\ subcomponent, \R\ repetition, \E\ escape.
        #expect(HL7ER7Encoder.escape("a|b^c&d~e\\f") == "a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f")
        #expect(HL7ER7Encoder.escape("王 <ok>") == "王 <ok>")
    }

    @Test func er7Shape() throws {
        let (m, _) = try Self.message()
        let er7 = HL7ER7Encoder.encode(m)
        let segs = er7.split(separator: "\r").map { String($0.prefix(3)) }
        #expect(segs.prefix(5) == ["MSH", "PID", "PV1", "ORC", "OBR"])
        #expect(segs.dropFirst(5).allSatisfy { $0 == "OBX" || $0 == "NTE" })
        #expect(er7.hasPrefix("MSH|^~\\&|HER2MRI|RADIOLOGY|EHR|HOSPITAL|"))
        #expect(er7.contains("|ORU^R01^ORU_R01|C-1|P|2.5.1|"))
        #expect(er7.contains("PID|1||PID-0007^^^RADIOLOGY^MR||王\\T\\<Li>^Mei\\F\\Ling\\R\\x\\E\\y||19780412|F"))
    }

    @Test func xmlValidatesAndInvalidIsRefused() throws {
        let (m, _) = try Self.message()
        let xml = try HL7XMLEncoder.encode(m)
        let text = String(decoding: xml, as: UTF8.self)
        #expect(text.contains("<ORU_R01 xmlns=\"urn:hl7-org:v2xml\">"))
        #expect(text.contains("<FN.1>王&amp;&lt;Li&gt;</FN.1>"))
        try HL7SchemaValidator.validate(xml: xml)
        // The validator can fail: a message without MSH, and an OBX without its required OBX.11.
        let noMSH = HL7Message(structure: "ORU_R01", nodes: Array(m.nodes.dropFirst()))
        #expect(throws: ReportsError.self) { try HL7XMLEncoder.encode(noMSH) }
        let broken = Data(text.replacingOccurrences(of: "<OBX.11>F</OBX.11>", with: "").utf8)
        #expect(throws: ReportsError.self) { try HL7SchemaValidator.validate(xml: broken) }
        let badDate = Data(text.replacingOccurrences(of: "<TS.1>19780412</TS.1>", with: "<TS.1>12/04/1978</TS.1>").utf8)
        #expect(throws: ReportsError.self) { try HL7SchemaValidator.validate(xml: badDate) }
    }

    @Test func shippedSchemaEqualsTemplateFile() throws {
        for (file, text) in [("hl7_v251_oru_r01.xsd", ReportTemplates.standardHL7Schema), ("site.json", ReportTemplates.standardSite),
                             ("en.json", ReportTemplates.standardEnglish), ("zh.json", ReportTemplates.standardChinese)] {
            let onDisk = try String(contentsOf: TestSupport.root.appendingPathComponent("templates/reports/\(file)"), encoding: .utf8)
            #expect(onDisk.trimmingCharacters(in: .newlines) == text.trimmingCharacters(in: .newlines),
                    "templates/reports/\(file) differs from the compiled-in copy: run python3 tools/reports/embed_templates.py")
        }
    }

    @Test func independentReadersAgree() throws {
        let input = try PatientReportInput.example(patientName: Self.awkwardName)
        var patched = input
        patched.manifest.study.accessionNumber = "ACC^7&8"
        let dir = try TestSupport.tempFolder("hl7")
        let files = try PatientDocuments.write(patched, dicomStudy: nil, to: dir.appendingPathComponent("out").path)
        let out = dir.appendingPathComponent("out")
        let venv = TestSupport.root.appendingPathComponent("tools/.venv-reports/bin/python").path
        let python = FileManager.default.isExecutableFile(atPath: venv) ? venv : "/usr/bin/python3"
        guard FileManager.default.isExecutableFile(atPath: python) else { print("skipped: no python3"); return }
        let xsd = TestSupport.root.appendingPathComponent("templates/reports/hl7_v251_oru_r01.xsd").path
        let (st, text) = try TestSupport.run(python, [TestSupport.root.appendingPathComponent("tools/reports/check_hl7.py").path,
                                                      out.appendingPathComponent("hl7.er7").path, out.appendingPathComponent("hl7.xml").path,
                                                      xsd, out.appendingPathComponent("report.pdf").path])
        #expect(st == 0, "check_hl7.py failed: \(text)")
        guard st == 0 else { return }
        let r = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        if let xsdOK = r["xsd"] as? Bool { #expect(xsdOK, "lxml: \(r["xsdErrors"] ?? "")") } else { print("note: lxml absent, XSD checked by libxml2 only") }
        var readers = ["xml"]
        if r["er7"] is [String: Any] { readers.append("er7") } else { print("skipped ER7 check: \(r["er7Skipped"] ?? "")") }
        let p = patched.prediction
        for reader in readers {
            let s = r[reader] as! [String: Any]
            #expect(s["patientId"] as? String == "PID-0007")
            #expect(s["family"] as? String == "王&<Li>", "\(reader) family: \(s["family"] ?? "nil")")
            #expect(s["given"] as? String == "Mei|Ling~x\\y", "\(reader) given: \(s["given"] ?? "nil")")
            #expect(s["accession"] as? String == "ACC^7&8", "\(reader) accession")
            #expect(s["birthDate"] as? String == "19780412")
            #expect(s["version"] as? String == "2.5.1")
            #expect(s["messageType"] as? String == "ORU^R01^ORU_R01")
            #expect(abs(s.d("probability") - p.probability) < 5e-5)
            #expect(abs(s.d("ciLower") - p.ci95[0]) < 5e-5 && abs(s.d("ciUpper") - p.ci95[1]) < 5e-5)
            #expect(s["call"] as? String == (p.call == .positive ? "POS" : "NEG") && s["callType"] as? String == "CWE")
            #expect(s["flag"] as? String == (p.call == .positive ? "POS" : "NEG"))
            #expect(abs(s.d("totalPoints") - p.totalPoints) < 5e-3)
            let factors = s["factors"] as! [String: [String: Double]]
            #expect(factors.count == p.factors.count)
            for (i, f) in p.factors.enumerated() {
                #expect(abs((factors[String(i + 1)]?["value"] ?? .nan) - f.value) < 1e-6)
                #expect(abs((factors[String(i + 1)]?["points"] ?? .nan) - f.points) < 5e-3)
            }
            #expect(s["pdfSha256"] as? String == r["pdfFileSha256"] as? String, "\(reader): embedded PDF differs from report.pdf")
            #expect(s["pdfType"] as? String == "ED")
            #expect(s["methods"] as? [String] == [patched.model.modelId])
            #expect(s["equipment"] as? [String] == ["sha256:" + patched.model.sha256])
        }
        #expect(files.count == 4)
    }
}
