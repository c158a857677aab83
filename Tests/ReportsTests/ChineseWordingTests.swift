import Foundation
import Testing
@testable import Reports

/// The Chinese documents carry no English wording: every English word on their pages is a
/// name (methods, authors, file and site names, data values) from a short list, or the
/// deliberately bilingual demonstration banner.
@Suite struct ChineseWordingTests {
    /// Words that stay in Latin letters in the Chinese documents: method and author names,
    /// abbreviations, roman numerals of the kinetic types, the software's and the example's
    /// identifiers (her2mri splits at the digit) and site identity (site.json, not wording).
    static let allowed: Set<String> = [
        "HER", "MRI", "AUC", "DeLong", "Brier", "Hosmer", "Lemeshow", "Eavg", "Emax", "LOWESS", "rms", "calibrate", "logit",
        "Vickers", "Elkin", "Welch", "Mann", "Whitney", "Fisher", "Pearson", "IHC", "ISH", "SHA", "DCE", "UTC", "study", "json",
        "her2mri", "nomogram", "demo", "example", "PID", "STUDY", "ACC", "Example", "University", "Hospital", "Department",
        "Radiology", "Centre", "cohort", "predictions", "csv", "her", "mri", "ROC", "III",
    ]

    /// Latin words of three or more letters in `text` that are not allowed.
    static func english(_ text: String) -> Set<String> {
        var words = Set<String>(), word = ""
        for ch in text + " " {
            if ch.isASCII && ch.isLetter { word.append(ch) } else {
                if word.count >= 3 && !allowed.contains(word) { words.insert(word) }
                word = ""
            }
        }
        return words
    }

    @Test func patientReportHasNoEnglishWording() throws {
        let t = try ReportTemplates.load(directory: nil, language: "zh")
        let input = try PatientReportInput.example(patientName: "王^秀英", templates: t)
        let log = try PatientReport.renderLog(input, templates: t).map(\.text).filter { $0 != t.text("demonstration") }
        let found = Self.english(log.joined(separator: "\n"))
        #expect(found.isEmpty, "English in the Chinese report: \(found.sorted())")
        #expect(log.contains { $0.contains("第41层") })
    }

    @Test func cohortDocumentsHaveNoEnglishWording() throws {
        guard let pdftotext = TestSupport.which("pdftotext") else { print("skipped: pdftotext not installed (make setup installs poppler-utils)"); return }
        let t = try ReportTemplates.load(directory: nil, language: "zh")
        var settings = CohortAnalysisSettings()
        settings.bootstrapReplicates = 10
        let table = try PredictionsTable.read(path: TestSupport.fixture("cohort_predictions.csv"))
        let files = try CohortReport.render(try CohortAnalysis(table, settings: settings), source: "cohort_predictions.csv",
                                            templates: t, creationDate: "2000-01-01T00:00:00Z")
        let dir = try TestSupport.tempFolder("zh-cohort")
        for f in files where f.name.hasSuffix(".pdf") {
            let path = dir.appendingPathComponent(f.name).path
            try f.data.write(to: URL(fileURLWithPath: path))
            let text = try TestSupport.run(pdftotext, [path, "-"]).1
            let found = Self.english(text)
            #expect(found.isEmpty, "English in the Chinese \(f.name): \(found.sorted())")
        }
    }
}

/// The Chinese font (WenQuanYi Zen Hei) has no U+2212 MINUS SIGN: the pages showed an empty box
/// in "1 − 特异度". zh.json writes ASCII "-", and a closing CJK punctuation mark never starts a line.
@Suite struct ChineseGlyphTests {
    @Test func noMinusSignInTheChineseWording() {
        #expect(!ReportTemplates.standardChinese.contains("\u{2212}"))
    }

    @Test func closingPunctuationStaysOnItsLine() {
        let units = PDFCanvas.breakUnits("偏倚校正。曲线（LOWESS）。")
        #expect(!units.contains { $0.0.hasPrefix("。") || $0.0.hasPrefix("）") })
        #expect(units.map(\.0).joined() == "偏倚校正。曲线（LOWESS）。")
    }
}
