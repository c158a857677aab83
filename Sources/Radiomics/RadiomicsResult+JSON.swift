import Support

/// Text forms of a result: JSON with pyradiomics' keys, and pyradiomics' `name: value` lines.
extension RadiomicsResult {
    /// `{"diagnostics": {..., "warnings": [...]}, "original_shape_Elongation": …, …}`, in order.
    /// NaN and infinities become `null` (JSON has no NaN); `warnings` names each NaN feature.
    public func json() -> String {
        let diagnosticsObject = JSONValue.object(diagnostics.map { ($0.name, $0.value) }
                                                 + [("warnings", .array(warnings.map { .string($0) }))])
        return JSONValue.object([("diagnostics", diagnosticsObject)] + features.map { ($0.name, .number($0.value)) })
            .prettyPrinted()
    }

    /// One `name: value` line per diagnostic and feature, as pyradiomics' command line prints
    /// (NaN as `nan`).
    public func text() -> String {
        var lines: [String] = []
        for (name, value) in diagnostics { lines.append("\(name): \(value.serialized())") }
        for w in warnings { lines.append("warning: \(w)") }
        for (name, value) in features { lines.append("\(name): \(value.isNaN ? "nan" : JSONValue.format(value))") }
        return lines.joined(separator: "\n")
    }
}
