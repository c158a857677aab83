import Support

/// Features in the order they were computed, keyed by pyradiomics' names
/// (`original_<class>_<Feature>`), plus the diagnostics a pyradiomics user expects.
public struct RadiomicsResult: Sendable {
    /// (name, value) pairs. A value is NaN only where documented (see the README); each NaN
    /// has a line in `warnings`.
    public var features: [(name: String, value: Double)]
    /// Settings, geometry, voxel counts, the grey levels found: strings and numbers.
    public var diagnostics: [(name: String, value: JSONValue)]
    /// Surprises that are not failures: unknown parameter keys, NaN features, resampling skipped.
    public var warnings: [String]

    /// The value of a feature by its full name.
    public subscript(name: String) -> Double? {
        features.first { $0.name == name }?.value
    }
}

