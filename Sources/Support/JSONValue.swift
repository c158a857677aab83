import Foundation

/// A JSON value with ordered object keys, for the statistics reports: numbers print in
/// Swift's shortest round-trip form, and NaN or infinite numbers (undefined metrics) print as
/// `null`.
public indirect enum JSONValue: Sendable, Equatable {
    case number(Double)
    case integer(Int)
    case string(String)
    case bool(Bool)
    case array([JSONValue])
    case object([(String, JSONValue)])
    case null

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.serialized() == b.serialized() }

    /// Numbers as a JSON array.
    public static func numbers(_ v: [Double]) -> JSONValue { .array(v.map { .number($0) }) }

    /// Indented JSON text (two spaces), keys in their given order, ending in a newline: for
    /// files people read (model.json, prediction.json).
    public func prettyPrinted() -> String {
        var out = ""
        writePretty(to: &out, indent: "")
        return out + "\n"
    }

    private func writePretty(to out: inout String, indent: String) {
        let inner = indent + "  "
        switch self {
        case .array(let a) where !a.isEmpty && a.contains(where: { if case .array = $0 { return true }; if case .object = $0 { return true }; return false }):
            out += "[\n"
            for (i, v) in a.enumerated() {
                out += inner
                v.writePretty(to: &out, indent: inner)
                out += i + 1 < a.count ? ",\n" : "\n"
            }
            out += indent + "]"
        case .object(let o) where !o.isEmpty:
            out += "{\n"
            for (i, (k, v)) in o.enumerated() {
                out += inner
                JSONValue.quote(k, into: &out)
                out += ": "
                v.writePretty(to: &out, indent: inner)
                out += i + 1 < o.count ? ",\n" : "\n"
            }
            out += indent + "}"
        default:
            write(to: &out)
        }
    }

    /// The compact JSON text.
    public func serialized() -> String {
        var out = ""
        write(to: &out)
        return out
    }

    public func write(to out: inout String) {
        switch self {
        case .number(let d): out += d.isFinite ? JSONValue.format(d) : "null"
        case .integer(let i): out += String(i)
        case .string(let s): JSONValue.quote(s, into: &out)
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .array(let a):
            out += "["
            for (i, v) in a.enumerated() { if i > 0 { out += "," }; v.write(to: &out) }
            out += "]"
        case .object(let o):
            out += "{"
            for (i, (k, v)) in o.enumerated() {
                if i > 0 { out += "," }
                JSONValue.quote(k, into: &out)
                out += ":"
                v.write(to: &out)
            }
            out += "}"
        }
    }

    public static func format(_ d: Double) -> String {
        if d == d.rounded() && abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }

    public static func quote(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        out += "\""
    }
}
