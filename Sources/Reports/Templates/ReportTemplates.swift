import Foundation

/// Wording, site identity, colours, HL7 codes and language — everything a hospital adapts
/// without touching code. Loaded from a folder holding `site.json` and `<language>.json`
/// (the shipped ones are in `templates/reports/`); keys a site file leaves out keep their
/// shipped values, and wording keys a translation leaves out fall back to English.
public struct ReportTemplates: Sendable {
    public let site: SiteConfiguration
    let words: [String: String]
    let lists: [String: [String]]

    /// The shipped English templates.
    public static let standard: ReportTemplates = {
        // The shipped text is checked by a test; failing here is a programmer's error.
        try! ReportTemplates(siteJSON: Data(standardSite.utf8), wordingJSON: Data(standardEnglish.utf8), path: "<shipped>")
    }()

    /// Loads `site.json` and the wording for its language from `directory`; missing files and
    /// keys keep the shipped values. `language` overrides the site's.
    public static func load(directory: String?, language: String? = nil) throws -> ReportTemplates {
        var siteData = Data(standardSite.utf8)
        if let directory {
            let p = (directory as NSString).appendingPathComponent("site.json")
            if FileManager.default.fileExists(atPath: p) {
                guard let d = FileManager.default.contents(atPath: p) else { throw ReportsError.template(path: p, reason: "cannot read") }
                siteData = try merge(base: Data(standardSite.utf8), over: d, path: p)
            }
        }
        if let language {
            siteData = try merge(base: siteData, over: Data(#"{"language": "\#(language)"}"#.utf8), path: "--language")
        }
        let lang = (try? JSONDecoder().decode(SiteConfiguration.self, from: siteData))?.language ?? "en"
        var wording = Data(standardEnglish.utf8)
        var wordingPath = "<shipped en.json>"
        let shipped: [String: String] = ["zh": standardChinese]
        if let text = shipped[lang] {
            wording = try merge(base: wording, over: Data(text.utf8), path: "<shipped \(lang).json>")
            wordingPath = "<shipped \(lang).json>"
        }
        let own = directory.map { ($0 as NSString).appendingPathComponent("\(lang).json") }
        if let own, FileManager.default.fileExists(atPath: own) {
            guard let d = FileManager.default.contents(atPath: own) else { throw ReportsError.template(path: own, reason: "cannot read") }
            wording = try merge(base: wording, over: d, path: own)
            wordingPath = own
        } else if lang != "en" && shipped[lang] == nil {
            throw ReportsError.template(path: "\(lang).json", reason: "no wording file for language \"\(lang)\" (shipped: en, zh)")
        }
        return try ReportTemplates(siteJSON: siteData, wordingJSON: wording, path: wordingPath)
    }

    init(siteJSON: Data, wordingJSON: Data, path: String) throws {
        do { site = try JSONDecoder().decode(SiteConfiguration.self, from: siteJSON) } catch {
            throw ReportsError.template(path: "site.json", reason: "does not match the expected keys and types (\(error))")
        }
        for hex in site.colours.series + [site.colours.reference, site.colours.accent, site.colours.lesion, site.colours.demonstration]
            where RGBColor(hex: hex) == nil {
            throw ReportsError.template(path: "site.json", reason: "colour \"\(hex)\" is not #rrggbb")
        }
        guard let object = try? JSONSerialization.jsonObject(with: wordingJSON) as? [String: Any] else {
            throw ReportsError.template(path: path, reason: "not a JSON object")
        }
        var w = [String: String](), l = [String: [String]]()
        for (k, v) in object {
            if let s = v as? String { w[k] = s } else if let a = v as? [String] { l[k] = a } else {
                throw ReportsError.template(path: path, reason: "key \"\(k)\" must be a string or a list of strings")
            }
        }
        words = w
        lists = l
    }

    /// Deep-merges the JSON object `over` onto `base`.
    static func merge(base: Data, over: Data, path: String) throws -> Data {
        guard let b = try JSONSerialization.jsonObject(with: base) as? [String: Any] else { throw ReportsError.template(path: path, reason: "base is not an object") }
        guard let o = (try? JSONSerialization.jsonObject(with: over)) as? [String: Any] else {
            throw ReportsError.template(path: path, reason: "not a JSON object")
        }
        func m(_ a: [String: Any], _ b: [String: Any]) -> [String: Any] {
            var r = a
            for (k, v) in b {
                if let va = a[k] as? [String: Any], let vb = v as? [String: Any] { r[k] = m(va, vb) } else { r[k] = v }
            }
            return r
        }
        return try JSONSerialization.data(withJSONObject: m(b, o), options: [.sortedKeys])
    }

    /// The wording for `key` with `{name}` placeholders filled; the key itself when missing.
    public func text(_ key: String, _ args: [String: String] = [:]) -> String {
        var s = words[key] ?? key
        for (k, v) in args { s = s.replacingOccurrences(of: "{\(k)}", with: v) }
        return s
    }

    /// The wording for `key` with placeholders filled, or `fallback` when no template has the
    /// key (model and predictor names a translation may leave as they are).
    public func text(_ key: String, or fallback: String, _ args: [String: String] = [:]) -> String {
        words[key] == nil ? fallback : text(key, args)
    }

    /// A list-valued wording entry (kinetic type names).
    public func list(_ key: String) -> [String] { lists[key] ?? [] }

    /// A model column's display name ("modelName.<column>"; the column itself when absent).
    public func modelName(_ column: String) -> String { text("modelName.\(column)", or: column) }
}
