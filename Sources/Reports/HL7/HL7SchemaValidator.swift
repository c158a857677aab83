import Foundation
internal import CLibXML2

/// Validates HL7 v2.xml documents against an XSD with libxml2's schema validator; every
/// error libxml2 reports is collected (line and message).
public enum HL7SchemaValidator {
    final class Messages { var lines = [String]() }

    /// Parses and validates XML text; throws `ReportsError.hl7` listing what failed.
    public static func validate(xml: Data, schema: String = ReportTemplates.standardHL7Schema) throws {
        let doc = xml.withUnsafeBytes { raw in
            xmlReadMemory(raw.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(raw.count), "hl7.xml", "UTF-8", Int32(XML_PARSE_NONET.rawValue))
        }
        guard let doc else { throw ReportsError.hl7("not well-formed XML") }
        defer { xmlFreeDoc(doc) }
        try validate(doc: doc, schema: schema)
    }

    static func validate(doc: xmlDocPtr, schema: String) throws {
        let messages = Messages()
        let box = Unmanaged.passUnretained(messages).toOpaque()
        let collect: xmlStructuredErrorFunc = { user, error in
            guard let user, let error else { return }
            let m = Unmanaged<Messages>.fromOpaque(user).takeUnretainedValue()
            let text = error.pointee.message.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "?"
            m.lines.append("line \(error.pointee.line): \(text)")
        }
        // libxml2 reads the schema buffer during xmlSchemaParse, so it must outlive the parse.
        var bytes = Array(schema.utf8)
        try bytes.withUnsafeMutableBufferPointer { buf in
            guard let pctx = buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count, { xmlSchemaNewMemParserCtxt($0, Int32(buf.count)) }) else {
                throw ReportsError.hl7("libxml2 could not read the schema")
            }
            defer { xmlSchemaFreeParserCtxt(pctx) }
            xmlSchemaSetParserStructuredErrors(pctx, collect, box)
            guard let xsd = xmlSchemaParse(pctx) else {
                throw ReportsError.hl7("the HL7 schema is invalid: \(messages.lines.joined(separator: "; "))")
            }
            defer { xmlSchemaFree(xsd) }
            guard let vctx = xmlSchemaNewValidCtxt(xsd) else { throw ReportsError.hl7("libxml2 could not create a validator") }
            defer { xmlSchemaFreeValidCtxt(vctx) }
            xmlSchemaSetValidStructuredErrors(vctx, collect, box)
            let rc = xmlSchemaValidateDoc(vctx, doc)
            if rc != 0 {
                throw ReportsError.hl7("the message does not validate against the HL7 v2.5.1 schema: "
                                       + (messages.lines.isEmpty ? "code \(rc)" : messages.lines.prefix(5).joined(separator: "; ")))
            }
        }
    }
}
