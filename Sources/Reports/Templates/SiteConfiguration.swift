/// The hospital's settings from `templates/reports/site.json`: identity on the PDFs, colours,
/// the PDF language and font, and the HL7 parties and observation codes. Every key has a
/// documented default (the shipped file); a site file only needs the keys it changes.
public struct SiteConfiguration: Codable, Sendable, Equatable {
    public struct Site: Codable, Sendable, Equatable {
        public var institution: String
        public var department: String
        public var address: String
        /// The PDF author field.
        public var author: String
    }
    public struct Colours: Codable, Sendable, Equatable {
        /// One colour per model or series, "#rrggbb"; chosen to stay apart in grey print.
        public var series: [String]
        /// Dash pattern per series (points; empty = solid), so series differ without colour.
        public var dashes: [[Double]]
        public var reference: String
        public var accent: String
        public var lesion: String
        public var demonstration: String
    }
    public struct HL7: Codable, Sendable, Equatable {
        public var sendingApplication: String
        public var sendingFacility: String
        public var receivingApplication: String
        public var receivingFacility: String
        /// MSH-11: P production, T training, D debugging.
        public var processingId: String
        /// Coding system of the local observation codes (HL7 table 0396: "99zzz" = local).
        public var codingSystem: String
        /// Observation codes: key → [code, text]; keys order, probability, probabilityLower,
        /// probabilityUpper, call, factorValue, factorPoints, totalPoints, report.
        public var codes: [String: [String]]
        /// PID-3.5 identifier type code (HL7 table 0203; "MR" medical record number).
        public var patientIdentifierType: String
        /// PV1-2 patient class (HL7 table 0004; "O" outpatient).
        public var patientClass: String
    }
    /// "en" or "zh": picks `<language>.json` for the wording.
    public var language: String
    public var fontFamily: String
    /// Used instead of `fontFamily` when the language is Chinese.
    public var cjkFontFamily: String
    public var site: Site
    public var colours: Colours
    public var hl7: HL7

    /// The font family for the configured language.
    public var effectiveFontFamily: String { language.hasPrefix("zh") ? cjkFontFamily : fontFamily }

    /// Series colour and dash for index `i` (cycling).
    public func seriesStyle(_ i: Int, width: Double = 1.6) -> StrokeStyle {
        let c = colours.series.isEmpty ? RGBColor.black : (RGBColor(hex: colours.series[i % colours.series.count]) ?? .black)
        let d = colours.dashes.isEmpty ? [] : colours.dashes[i % colours.dashes.count]
        return StrokeStyle(color: c, width: width, dash: d)
    }

    /// A named colour, black when malformed (the loader has checked them).
    public func colour(_ hex: String) -> RGBColor { RGBColor(hex: hex) ?? .black }

    /// An observation code and its text.
    public func code(_ key: String) -> (code: String, text: String) {
        let v = hl7.codes[key] ?? []
        return (v.first ?? key.uppercased(), v.count > 1 ? v[1] : key)
    }
}
