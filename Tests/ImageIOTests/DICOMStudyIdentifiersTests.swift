import Foundation
import Testing
@testable import ImageIO

/// Patient and study identifiers decoded by Specific Character Set, compared with pydicom 3.0.2's
/// decoding of the same files (fixtures/dicom/charset_*.dcm and charset_reference.json, made by
/// tools/dicom_charset_fixtures.py).
struct DICOMStudyIdentifiersTests {
    /// Sets Foundation cannot decode here: refused by name (pydicom decodes them).
    static let unsupported: Set<String> = ["charset_hebrew.dcm"]

    @Test func identifiersAgreeWithPydicom() throws {
        let (provenance, refs) = try DICOMFixtures.reference("charset_reference.json")
        #expect(provenance.contains("pydicom 3.0.2"))
        #expect(refs.count == 14)
        for ref in refs {
            let name = try #require(ref["file"] as? String)
            let url = DICOMFixtures.url(name)
            if Self.unsupported.contains(name) {
                do {
                    _ = try DICOMStudyIdentifiers(contentsOf: url)
                    Issue.record("\(name): decoded a character set this reader says it cannot decode")
                } catch let ImageIOError.unsupported(file, reason) {
                    #expect(file.hasSuffix(name) && reason.contains("ISO_IR 138") && reason.contains("(0010,0010)"), "\(reason)")
                }
                // The lenient accessor still reads the ASCII identifiers.
                let ds = try DICOMReader.readHeader(url).dataSet
                #expect(ds.string(.patientID) == ref["patient_id"] as? String)
                continue
            }
            let ids = try DICOMStudyIdentifiers(contentsOf: url)
            let pn = try #require(ids.patientName, "\(name): no name")
            #expect(pn.original == ref["patient_name"] as? String, "\(name): \(pn.original) vs \(ref["patient_name"] ?? "")")
            #expect(pn.alphabetic == ref["alphabetic"] as? String, "\(name)")
            #expect(pn.ideographic == ref["ideographic"] as? String, "\(name)")
            #expect(pn.phonetic == ref["phonetic"] as? String, "\(name)")
            #expect(pn.familyName == ref["family_name"] as? String, "\(name)")
            #expect(pn.givenName == ref["given_name"] as? String, "\(name)")
            #expect(pn.middleName == ref["middle_name"] as? String, "\(name)")
            #expect(pn.namePrefix == ref["name_prefix"] as? String, "\(name)")
            #expect(pn.nameSuffix == ref["name_suffix"] as? String, "\(name)")
            #expect(ids.patientID == ref["patient_id"] as? String, "\(name)")
            #expect(ids.patientBirthDate == ref["patient_birth_date"] as? String)
            #expect(ids.patientSex == ref["patient_sex"] as? String)
            #expect(ids.accessionNumber == ref["accession_number"] as? String)
            #expect(ids.studyDate == ref["study_date"] as? String)
            #expect(ids.studyInstanceUID == ref["study_instance_uid"] as? String)
            #expect(ids.institutionName == ref["institution_name"] as? String, "\(name): \(ids.institutionName ?? "nil")")
            #expect(ids.manufacturer == ref["manufacturer"] as? String)
        }
    }

    /// The '=' groups: the tool keeps the alphabetic one.
    @Test func personNameGroupsAndComponents() {
        let pn = DICOMPersonName("Yamada^Tarou=山田^太郎=やまだ^たろう")
        #expect(pn.alphabetic == "Yamada^Tarou" && pn.ideographic == "山田^太郎" && pn.phonetic == "やまだ^たろう")
        #expect(pn.description == "Yamada^Tarou")
        #expect(DICOMPersonName("Smith").components == ["Smith", "", "", "", ""])
        #expect(DICOMPersonName("").alphabetic == "")
    }

    static func decode(_ bytes: [UInt8], _ terms: [String]?, pn: Bool = true, strict: Bool = true) throws -> String {
        try DICOMCharacterSet(terms: terms).decode(bytes, personName: pn, strict: strict, file: "t.dcm", field: "(0010,0010)")
    }

    /// Code extensions by hand (PS3.5 §6.1.2.5): G1 switched by escapes, reset after '^' in PN,
    /// JIS X 0201, refused multi-byte sets.
    @Test func iso2022EscapeSequences() throws {
        // ESC - M designates Latin-5 to G1 mid-value.
        #expect(try Self.decode([0x41, 0x1B, 0x2D, 0x4D, 0xDD], ["", "ISO 2022 IR 148"]) == "Aİ")
        // A PN component group ('=') starts again from the initial G1 (Latin-1 from value 1);
        // within a group ('^') the designation holds, as pydicom reads it.
        #expect(try Self.decode([0x1B, 0x2D, 0x46, 0xC1, 0x5E, 0xC1, 0x3D, 0xC1], ["ISO 2022 IR 100", "ISO 2022 IR 126"]) == "Α^Α=Á")
        // Each value of a multi-valued text starts again too.
        #expect(try Self.decode([0x1B, 0x2D, 0x46, 0xC1, 0x5C, 0xC1], ["ISO 2022 IR 100", "ISO 2022 IR 126"], pn: false) == "Α\\Á")
        // JIS X 0201: katakana in G1, romaji yen sign in G0.
        #expect(try Self.decode([0xD4, 0xCF, 0xC0, 0x5C], ["ISO_IR 13"]) == "ﾔﾏﾀ¥")
        // A multi-byte set (ESC $ B, JIS X 0208) is refused by name in strict mode ...
        #expect(throws: ImageIOError.self) { try Self.decode([0x1B, 0x24, 0x42, 0x3B, 0x33], ["", "ISO 2022 IR 87"]) }
        // ... and skipped, not crashed on, in lenient mode; a cut-short escape is ignored.
        _ = try Self.decode([0x1B, 0x24, 0x42, 0x3B, 0x33], ["", "ISO 2022 IR 87"], strict: false)
        #expect(try Self.decode([0x41, 0x1B, 0x2D], ["ISO 2022 IR 100"]) == "A")
        // UTF-8 and GB18030.
        #expect(try Self.decode(Array("Zoë".utf8), ["ISO_IR 192"]) == "Zoë")
        #expect(try Self.decode([0xD5, 0xC5, 0x5E, 0xC8, 0xFD], ["GB18030"]) == "张^三")
        // Undefined bytes of a set read as U+FFFD (0xAE is not in ISO 8859-7).
        #expect(try Self.decode([0xAE], ["ISO_IR 126"]) == "\u{FFFD}")
    }

    /// Only text VRs use the character set; an item without (0008,0005) inherits its parent's.
    @Test func nonTextValuesStayASCIIAndItemsInherit() throws {
        var item = DICOMDataSet(file: "t.dcm")
        item.insert(DICOMElement(tag: .patientName, vr: "PN", value: .bytes([0xC4, 0xE9, 0xEF])))
        var ds = DICOMDataSet(file: "t.dcm")
        ds.insert(DICOMElement(tag: .specificCharacterSet, vr: "CS", value: .bytes(Array("ISO_IR 126".utf8))))
        ds.insert(DICOMElement(tag: DICOMTag(0x0008, 0x1140), vr: "SQ", value: .sequence([item])))
        ds.insert(DICOMElement(tag: .patientSex, vr: "CS", value: .bytes([0x46, 0x20])))
        ds.resolveCharacterSet()
        #expect(try ds.sequence(DICOMTag(0x0008, 0x1140))?.first?.text(.patientName) == "Διο")
        #expect(ds.string(.patientSex) == "F")
    }
}
