import Foundation

/// How the text of a data set is encoded: the Specific Character Set (0008,0005) and the code
/// extension rules of PS3.5 §6.1 (ISO 2022 escape sequences, PS3.3 C.12.1.1.2).
///
/// Only text VRs (SH, LO, ST, LT, UC, UT, PN) use it; other VRs are ASCII. Supported: the default
/// repertoire (bytes ≥ 0x80 read as ISO-8859-1, as pydicom does), ISO_IR 100 / 101 / 110 / 144 /
/// 127 / 126 / 148 / 203 / 166 (ISO-8859-1, -2, -4, -5, -6, -7, -9, -15, TIS-620 through
/// Foundation), ISO_IR 13 (JIS X 0201), ISO_IR 192 (UTF-8), GB18030 and GBK, and the ISO 2022
/// forms of the single-byte sets with their escape sequences (G0 ASCII or JIS X 0201 romaji,
/// G1 any of the above). Designations hold until the next escape, except that each PN component
/// group ('=') and each value of a multi-valued text ('\\') starts again from the initial sets, as
/// pydicom reads them (PS3.5 §6.1.2.5.3 makes writers return to the initial set before '^', '='
/// and '\\', so conformant files read the same either way). Not supported (Foundation has no decoder
/// here): ISO_IR 109 (Latin-3), ISO_IR 138 (Hebrew) and the multi-byte ISO 2022 sets
/// (IR 87, 159, 149, 58); a value that needs them is refused by `decode(strict:)` and read as
/// ISO-8859-1 by the lenient path.
public struct DICOMCharacterSet: Equatable, Sendable {
    /// The defined terms as the file gave them (empty for the default repertoire).
    public let terms: [String]

    /// The character set of (0008,0005) values `terms` (nil or empty: the default repertoire).
    public init(terms: [String]?) {
        self.terms = terms ?? []
    }

    /// The default repertoire (no Specific Character Set).
    public static let defaultRepertoire = DICOMCharacterSet(terms: nil)

    /// True when the whole value is UTF-8 (ISO_IR 192 anywhere in the list, as pydicom reads it).
    var isUTF8: Bool { terms.contains("ISO_IR 192") }

    /// A 128-entry table for the high half (0x80...0xFF) of a single-byte set; nil entries are
    /// bytes the set does not define.
    typealias HighHalf = [Unicode.Scalar?]

    /// The G1 sets by ISO 2022 final byte of ESC 2D F (96-character sets) or ESC 29 F.
    private static let g1ByEscape: [[UInt8]: String] = [
        [0x2D, 0x41]: "ISO_IR 100", [0x2D, 0x42]: "ISO_IR 101", [0x2D, 0x43]: "ISO_IR 109",
        [0x2D, 0x44]: "ISO_IR 110", [0x2D, 0x4C]: "ISO_IR 144", [0x2D, 0x47]: "ISO_IR 127",
        [0x2D, 0x46]: "ISO_IR 126", [0x2D, 0x48]: "ISO_IR 138", [0x2D, 0x4D]: "ISO_IR 148",
        [0x2D, 0x62]: "ISO_IR 203", [0x2D, 0x54]: "ISO_IR 166", [0x29, 0x49]: "ISO_IR 13",
    ]

    /// Foundation's encodings (CFStringEncoding values) of the single-byte sets.
    private static let cfEncodings: [String: UInt32] = [
        "ISO_IR 100": 0x0201, "ISO_IR 101": 0x0202, "ISO_IR 110": 0x0204, "ISO_IR 144": 0x0205,
        "ISO_IR 127": 0x0206, "ISO_IR 126": 0x0207, "ISO_IR 148": 0x0209, "ISO_IR 203": 0x020F,
        "ISO_IR 166": 0x020B,
    ]

    /// What each set is, for messages.
    private static let names: [String: String] = [
        "ISO_IR 100": "Latin-1, ISO 8859-1", "ISO_IR 101": "Latin-2, ISO 8859-2", "ISO_IR 109": "Latin-3, ISO 8859-3",
        "ISO_IR 110": "Latin-4, ISO 8859-4", "ISO_IR 144": "Cyrillic, ISO 8859-5", "ISO_IR 127": "Arabic, ISO 8859-6",
        "ISO_IR 126": "Greek, ISO 8859-7", "ISO_IR 138": "Hebrew, ISO 8859-8", "ISO_IR 148": "Latin-5, ISO 8859-9",
        "ISO_IR 203": "Latin-9, ISO 8859-15", "ISO_IR 166": "Thai, TIS 620-2533", "ISO_IR 13": "Katakana, JIS X 0201",
        "ISO 2022 IR 87": "Kanji, JIS X 0208", "ISO 2022 IR 159": "Supplementary Kanji, JIS X 0212",
        "ISO 2022 IR 149": "Korean, KS X 1001", "ISO 2022 IR 58": "Simplified Chinese, GB 2312",
    ]

    /// The high-half tables, built once from Foundation's decoders (one byte at a time, so a
    /// byte the set leaves undefined stays nil instead of failing the whole value).
    private static let tables: [String: HighHalf] = {
        var t: [String: HighHalf] = [:]
        for (term, cf) in cfEncodings {
            let encoding = String.Encoding(rawValue: UInt(0x8000_0000) | UInt(cf))
            t[term] = (0x80...0xFF).map { (b: Int) -> Unicode.Scalar? in
                guard let s = String(data: Data([UInt8(b)]), encoding: encoding), s.unicodeScalars.count == 1 else { return nil }
                let scalar = s.unicodeScalars.first
                return scalar == "\u{FFFD}" ? nil : scalar
            }
        }
        // JIS X 0201 katakana: 0xA1...0xDF → U+FF61...U+FF9F (half-width forms).
        t["ISO_IR 13"] = (0x80...0xFF).map { b in (0xA1...0xDF).contains(b) ? Unicode.Scalar(UInt32(0xFF61 + b - 0xA1)) : nil }
        return t
    }()

    /// The single-byte term behind an ISO 2022 term ("ISO 2022 IR 100" → "ISO_IR 100").
    private static func singleByte(_ term: String) -> String {
        term.hasPrefix("ISO 2022 IR ") ? "ISO_IR " + term.dropFirst("ISO 2022 IR ".count) : term
    }

    /// Human name of a term, for messages.
    static func describe(_ term: String) -> String {
        let key = names[term] != nil ? term : singleByte(term)
        return names[key].map { "\(term) (\($0))" } ?? term
    }

    /// Decodes a text value. `personName` applies PN's reset at '='. `strict` throws
    /// (naming the character set) where a byte needs a set this reader cannot decode; otherwise
    /// such bytes read as ISO-8859-1 and undefined bytes as U+FFFD.
    func decode(_ bytes: [UInt8], personName: Bool = false, strict: Bool = false, file: String = "", field: String = "") throws -> String {
        if isUTF8 { return String(decoding: bytes, as: UTF8.self) }
        let first = terms.first.map(Self.singleByte) ?? ""
        if first == "GB18030" || first == "GBK" {
            // Multi-byte without code extensions: Foundation's GB 18030 decoder (GBK is its subset).
            let encoding = String.Encoding(rawValue: UInt(0x8000_0000) | 0x0632)
            if let s = String(data: Data(bytes), encoding: encoding) { return s }
            if strict { throw unsupported("\(terms.first ?? first) text that does not decode", file: file, field: field) }
            return Self.latin1(bytes)
        }
        // Initial sets: G0 ASCII (or JIS X 0201 romaji for ISO_IR 13), G1 the first term's set.
        let initialG0Romaji = first == "ISO_IR 13"
        let initialG1: String? = first.isEmpty || first == "ISO_IR 6" ? nil : first
        var g0Romaji = initialG0Romaji
        var g1 = initialG1
        var out = String.UnicodeScalarView()
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x1B {
                // An escape sequence: ESC I... F (PS3.5 §6.1.2.5.3; ISO 2022).
                var j = i + 1
                while j < bytes.count, (0x20...0x2F).contains(bytes[j]) { j += 1 }
                guard j < bytes.count else { i = bytes.count; break } // cut short: ignore
                let body = Array(bytes[(i + 1)...j])
                if body == [0x28, 0x42] { g0Romaji = false }
                else if body == [0x28, 0x4A] { g0Romaji = true }
                else if let set = Self.g1ByEscape[body] { g1 = set }
                else if strict {
                    let which = body.first == 0x24 ? "a multi-byte ISO 2022 set (Japanese, Korean or Chinese)" : "escape sequence ESC " + body.map { String($0, radix: 16) }.joined(separator: " ")
                    throw unsupported(which, file: file, field: field)
                } else { g1 = nil }
                i = j + 1
                continue
            }
            if b < 0x80 {
                // Each PN component group and each value of a multi-valued text starts from the
                // initial sets (pydicom decodes them one by one); within a group the designations
                // hold, as written (a conformant writer re-designates before '^' itself).
                if (personName && b == 0x3D) || (!personName && b == 0x5C && !g0Romaji) {
                    g0Romaji = initialG0Romaji; g1 = initialG1
                }
                if g0Romaji && b == 0x5C { out.append("\u{A5}") }
                else if g0Romaji && b == 0x7E { out.append("\u{203E}") }
                else { out.append(Unicode.Scalar(b)) }
            } else if let set = g1 {
                if let table = Self.tables[set] {
                    out.append(table[Int(b) - 0x80] ?? "\u{FFFD}")
                } else if strict {
                    throw unsupported(Self.describe(terms.first { Self.singleByte($0) == set } ?? set), file: file, field: field)
                } else {
                    out.append(Unicode.Scalar(b))
                }
            } else {
                // Default repertoire: ISO-8859-1, as pydicom reads it.
                out.append(Unicode.Scalar(b))
            }
            i += 1
        }
        return String(out)
    }

    private func unsupported(_ what: String, file: String, field: String) -> ImageIOError {
        .unsupported(file: file, reason: "\(field.isEmpty ? "text" : field) needs \(what), which this reader cannot decode (Specific Character Set \(terms.joined(separator: "\\")))")
    }

    static func latin1(_ bytes: [UInt8]) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: bytes.map { Unicode.Scalar($0) })
        return String(s)
    }
}
