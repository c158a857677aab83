/// The ER7 ("pipe and hat") encoding of HL7 v2 (v2.5.1 chapter 2, §2.5–2.7): segments end in
/// a carriage return; fields are separated by `|`, repetitions by `~`, components by `^`,
/// subcomponents by `&`; those characters and `\` inside data are escaped as `\F\`, `\R\`,
/// `\S\`, `\T\` and `\E\` (§2.7.1). Text is UTF-8 (MSH-18 "UNICODE UTF-8"), so non-ASCII
/// names need no escape. Trailing empty components and fields are dropped.
public enum HL7ER7Encoder {
    public static func encode(_ m: HL7Message) -> String {
        var out = ""
        for s in m.segments {
            out += s.id
            if s.id == "MSH" {
                // MSH-1 is the field separator itself and MSH-2 the encoding characters: written raw.
                out += "|^~\\&"
                for f in s.fields.dropFirst(2) { out += "|" + field(f) }
            } else {
                for f in s.fields { out += "|" + field(f) }
            }
            while out.hasSuffix("|") { out.removeLast() }
            out += "\r"
        }
        return out
    }

    static func field(_ reps: [HL7Message.Value]?) -> String {
        guard let reps else { return "" }
        return reps.map { value($0, level: 0) }.joined(separator: "~")
    }

    static func value(_ v: HL7Message.Value, level: Int) -> String {
        switch v {
        case .text(let s): return escape(s)
        case .composite(_, let comps):
            let sep = level == 0 ? "^" : "&"
            var parts = comps.map { $0.map { value($0, level: level + 1) } ?? "" }
            while parts.last == "" { parts.removeLast() }
            return parts.joined(separator: sep)
        }
    }

    /// Escapes the delimiters and the escape character (§2.7.1).
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s {
            switch ch {
            case "\\": out += "\\E\\"
            case "|": out += "\\F\\"
            case "~": out += "\\R\\"
            case "^": out += "\\S\\"
            case "&": out += "\\T\\"
            case "\r": out += "\\X0D\\"
            case "\n": out += "\\X0A\\"
            default: out.append(ch)
            }
        }
        return out
    }
}
