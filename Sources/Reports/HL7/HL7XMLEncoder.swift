import Foundation
internal import CLibXML2

/// The XML encoding of HL7 v2 (HL7 Version 2: XML Encoding Syntax, "v2.xml"): namespace
/// `urn:hl7-org:v2xml`, the message structure as root (`ORU_R01`), group elements
/// (`ORU_R01.PATIENT_RESULT`), segments (`PID`), fields `SEG.n`, components and subcomponents
/// named after their data type (`XPN.1`, `FN.1`). Delimiters are ordinary characters here;
/// XML specials are escaped by libxml2. The document is validated against the schema in
/// `templates/reports/hl7_v251_oru_r01.xsd` before it is returned.
public enum HL7XMLEncoder {
    public static let namespace = "urn:hl7-org:v2xml"

    /// The UTF-8 XML text of `m`, validated against `schema` (the shipped XSD by default).
    public static func encode(_ m: HL7Message, schema: String = ReportTemplates.standardHL7Schema) throws -> Data {
        guard let doc = xmlNewDoc("1.0") else { throw ReportsError.hl7("libxml2 could not create a document") }
        defer { xmlFreeDoc(doc) }
        let root = xmlNewNode(nil, m.structure)
        let ns = xmlNewNs(root, namespace, nil)
        xmlSetNs(root, ns)
        xmlDocSetRootElement(doc, root)
        func add(_ parent: xmlNodePtr?, _ name: String, text: String? = nil) -> xmlNodePtr? {
            xmlNewTextChild(parent, ns, name, text)
        }
        func value(_ parent: xmlNodePtr?, _ v: HL7Message.Value) {
            switch v {
            case .text(let s): xmlNodeAddContent(parent, s)
            case .composite(let type, let comps):
                for (i, c) in comps.enumerated() {
                    guard let c else { continue }
                    value(add(parent, "\(type).\(i + 1)"), c)
                }
            }
        }
        func node(_ parent: xmlNodePtr?, _ n: HL7Message.Node) {
            switch n {
            case .group(let name, let children):
                let g = add(parent, name)
                children.forEach { node(g, $0) }
            case .segment(let s):
                let seg = add(parent, s.id)
                for (i, reps) in s.fields.enumerated() {
                    guard let reps else { continue }
                    for r in reps { value(add(seg, "\(s.id).\(i + 1)"), r) }
                }
            }
        }
        m.nodes.forEach { node(root, $0) }
        try HL7SchemaValidator.validate(doc: doc, schema: schema)
        var buffer: UnsafeMutablePointer<xmlChar>?
        var size: Int32 = 0
        xmlDocDumpFormatMemoryEnc(doc, &buffer, &size, "UTF-8", 1)
        guard let buffer else { throw ReportsError.hl7("libxml2 could not serialise the message") }
        defer { her2mri_xml_free(buffer) }
        return Data(bytes: buffer, count: Int(size))
    }
}
