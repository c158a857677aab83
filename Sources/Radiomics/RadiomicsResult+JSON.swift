/// Text forms of a result: JSON with pyradiomics' keys, and pyradiomics' `name: value` lines.
extension RadiomicsResult {
    /// `{"diagnostics": {..., "warnings": [...]}, "original_shape_Elongation": …, …}`, in order.
    /// NaN and infinities become `null` (JSON has no NaN); `warnings` names each NaN feature.
    public func json() -> String {
        var out = "{\n  \"diagnostics\": {"
        var first = true
        for (name, value) in diagnostics {
            out += (first ? "\n" : ",\n") + "    " + Self.quote(name) + ": " + Self.encode(value)
            first = false
        }
        out += (first ? "\n" : ",\n") + "    \"warnings\": [" + warnings.map(Self.quote).joined(separator: ", ") + "]\n  }"
        for (name, value) in features {
            out += ",\n  " + Self.quote(name) + ": " + Self.number(value)
        }
        return out + "\n}"
    }

    /// One `name: value` line per diagnostic and feature, as pyradiomics' command line prints.
    public func text() -> String {
        var lines: [String] = []
        for (name, value) in diagnostics { lines.append("\(name): \(Self.encode(value))") }
        for w in warnings { lines.append("warning: \(w)") }
        for (name, value) in features { lines.append("\(name): \(Self.number(value))") }
        return lines.joined(separator: "\n")
    }

    static func encode(_ v: DiagnosticValue) -> String {
        switch v {
        case let .text(s): return quote(s)
        case let .number(x): return number(x)
        case let .numbers(xs): return "[" + xs.map(number).joined(separator: ", ") + "]"
        case let .fields(fs): return "{" + fs.map { quote($0.name) + ": " + encode($0.value) }.joined(separator: ", ") + "}"
        }
    }

    /// Shortest round-trip decimal; integers without a fraction; non-finite as null.
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return "null" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
