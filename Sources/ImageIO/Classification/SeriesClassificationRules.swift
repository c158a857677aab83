import Foundation

/// The editable rules of sequence classification (`templates/series-classification.json`).
/// Settings only, no logic: `SeriesClassifier` applies them. The built-in default is the
/// template's text, embedded so the tool works without the file; a test keeps the two equal.
public struct SeriesClassificationRules: Codable, Sendable, Equatable {
    public struct Drop: Codable, Sendable, Equatable {
        public var imageTypeWords: [String]
        public var descriptionWords: [String]
    }

    public struct DCE: Codable, Sendable, Equatable {
        public var siemensSequenceNames: [String]
        public var gePulseSequences: [String]
        public var descriptionWords: [String]
        public var maxRepetitionTimeMs: Double
        public var maxEchoTimeMs: Double
        /// Relative TR difference beyond which a series in the DCE group is the pre-contrast T1.
        public var repetitionTimeTolerance: Double
    }

    public struct T2: Codable, Sendable, Equatable {
        public var minRepetitionTimeMs: Double
        public var minEchoTimeMs: Double
        public var descriptionWords: [String]
    }

    public struct T1: Codable, Sendable, Equatable {
        public var maxRepetitionTimeMs: Double
        public var maxEchoTimeMs: Double
        public var descriptionWords: [String]
    }

    public var about: String?
    public var drop: Drop
    public var dce: DCE
    public var t2: T2
    public var t1: T1

    /// Reads rules from a JSON file; a missing key or a wrong type is an error naming the file.
    public static func load(from url: URL) throws -> SeriesClassificationRules {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ImageIOError.io(file: url.path, reason: "cannot read the classification rules")
        }
        do { return try JSONDecoder().decode(SeriesClassificationRules.self, from: data) } catch {
            throw ImageIOError.invalidHeader(file: url.path, field: "classification rules", reason: "\(error)")
        }
    }

    /// The rules of `templates/series-classification.json` as shipped.
    public static let standard: SeriesClassificationRules = {
        // The embedded text is checked against the template by a test; it cannot fail to decode.
        try! JSONDecoder().decode(SeriesClassificationRules.self, from: Data(standardText.utf8))
    }()
}
