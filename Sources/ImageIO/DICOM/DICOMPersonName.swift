/// A Person Name (PN) value split as PS3.5 §6.2.1 defines it: up to three component groups
/// separated by '=' (alphabetic, ideographic, phonetic), each of up to five components
/// separated by '^' (family, given, middle, prefix, suffix).
///
/// The tool identifies people by the alphabetic group (`name`), which is what a Latin-script
/// report and HL7 PID-5 carry; the other groups are kept as written.
public struct DICOMPersonName: Equatable, Sendable, CustomStringConvertible {
    /// The value as decoded, all groups included (pydicom's `str(PersonName)`).
    public let original: String
    /// The alphabetic group, e.g. "Müller^Zoë": the name the tool uses.
    public let alphabetic: String
    /// The ideographic group (e.g. kanji), empty when absent.
    public let ideographic: String
    /// The phonetic group (e.g. hiragana), empty when absent.
    public let phonetic: String

    /// Splits a decoded PN value.
    public init(_ value: String) {
        original = value
        let groups = value.split(separator: "=", omittingEmptySubsequences: false).map(String.init)
        alphabetic = groups.first ?? ""
        ideographic = groups.count > 1 ? groups[1] : ""
        phonetic = groups.count > 2 ? groups[2] : ""
    }

    /// The components of the alphabetic group, padded to five (missing ones empty).
    public var components: [String] {
        var parts = alphabetic.split(separator: "^", omittingEmptySubsequences: false).map(String.init)
        while parts.count < 5 { parts.append("") }
        return parts
    }

    /// Component 1 of the alphabetic group.
    public var familyName: String { components[0] }
    /// Component 2.
    public var givenName: String { components[1] }
    /// Component 3.
    public var middleName: String { components[2] }
    /// Component 4 (e.g. "Dr.").
    public var namePrefix: String { components[3] }
    /// Component 5 (e.g. "Jr.").
    public var nameSuffix: String { components[4] }

    /// The alphabetic group (the form `study.json` uses: Family^Given...).
    public var description: String { alphabetic }
}
