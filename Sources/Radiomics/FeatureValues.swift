/// Features in the order they were computed, keyed by pyradiomics' names
/// (`original_<class>_<Feature>`), plus the diagnostics a pyradiomics user expects.
public struct RadiomicsResult: Sendable {
    /// (name, value) pairs. A value is NaN only where documented (see the README); each NaN
    /// has a line in `warnings`.
    public var features: [(name: String, value: Double)]
    /// Settings, geometry, voxel counts, the grey levels found: strings and numbers.
    public var diagnostics: [(name: String, value: DiagnosticValue)]
    /// Surprises that are not failures: unknown parameter keys, NaN features, resampling skipped.
    public var warnings: [String]

    /// The value of a feature by its full name.
    public subscript(name: String) -> Double? {
        features.first { $0.name == name }?.value
    }
}

/// A diagnostic value: text, a number or a list of numbers.
public enum DiagnosticValue: Sendable, Equatable {
    case text(String)
    case number(Double)
    case numbers([Double])
    /// Named values in order (the settings).
    indirect case fields([(name: String, value: DiagnosticValue)])

    public static func == (a: DiagnosticValue, b: DiagnosticValue) -> Bool {
        switch (a, b) {
        case let (.text(x), .text(y)): return x == y
        case let (.number(x), .number(y)): return x == y || (x.isNaN && y.isNaN)
        case let (.numbers(x), .numbers(y)): return x == y
        case let (.fields(x), .fields(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.name == $1.name && $0.value == $1.value }
        default: return false
        }
    }
}
