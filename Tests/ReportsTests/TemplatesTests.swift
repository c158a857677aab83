import Foundation
import Testing
@testable import Reports

/// Templates: a site file changes only the keys it names; the Chinese wording and CJK font.
@Suite struct TemplatesTests {
    @Test func siteFileOverridesOnlyItsKeys() throws {
        let dir = try TestSupport.tempFolder("site")
        try #"{"site": {"institution": "Hôpital Test"}, "hl7": {"sendingFacility": "XRAY"}}"#
            .write(to: dir.appendingPathComponent("site.json"), atomically: true, encoding: .utf8)
        let t = try ReportTemplates.load(directory: dir.path)
        #expect(t.site.site.institution == "Hôpital Test")
        #expect(t.site.hl7.sendingFacility == "XRAY")
        #expect(t.site.hl7.receivingApplication == ReportTemplates.standard.site.hl7.receivingApplication)
        #expect(t.site.colours == ReportTemplates.standard.site.colours)
        #expect(t.text("callPositive") == "HER2-positive")
    }

    @Test func badSiteFilesAreRefused() throws {
        let dir = try TestSupport.tempFolder("badsite")
        try #"{"colours": {"accent": "blue"}}"#.write(to: dir.appendingPathComponent("site.json"), atomically: true, encoding: .utf8)
        #expect(throws: ReportsError.self) { try ReportTemplates.load(directory: dir.path) }
        try "not json".write(to: dir.appendingPathComponent("site.json"), atomically: true, encoding: .utf8)
        #expect(throws: ReportsError.self) { try ReportTemplates.load(directory: dir.path) }
        #expect(throws: ReportsError.self) { try ReportTemplates.load(directory: nil, language: "fr") }
    }

    @Test func everyEnglishKeyIsTranslated() throws {
        let en = try JSONSerialization.jsonObject(with: Data(ReportTemplates.standardEnglish.utf8)) as! [String: Any]
        let zh = try JSONSerialization.jsonObject(with: Data(ReportTemplates.standardChinese.utf8)) as! [String: Any]
        #expect(Set(en.keys).subtracting(zh.keys).isEmpty)
    }

    @Test func chineseReportUsesACJKFont() throws {
        let t = try ReportTemplates.load(directory: nil, language: "zh")
        #expect(t.site.effectiveFontFamily == "WenQuanYi Zen Hei")
        let input = try PatientReportInput.example(patientName: "王^秀英")
        let pdf = try PatientReport.render(input, templates: t)
        let path = try TestSupport.tempFolder("zh").appendingPathComponent("report.pdf").path
        try pdf.write(to: URL(fileURLWithPath: path))
        guard let pdftotext = TestSupport.which("pdftotext"), let pdffonts = TestSupport.which("pdffonts") else {
            print("skipped: poppler-utils not installed"); return
        }
        guard FileManager.default.fileExists(atPath: "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc") else {
            print("skipped: fonts-wqy-zenhei not installed (make setup installs it)"); return
        }
        let (_, text) = try TestSupport.run(pdftotext, [path, "-"])
        #expect(text.contains("PID-0007"))
        #expect(text.contains(input.prediction.call == .positive ? "HER2阳性" : "HER2阴性"))
        #expect(text.contains("不能替代病理检查"))
        #expect(text.contains("王"))
        let (_, fonts) = try TestSupport.run(pdffonts, [path])
        #expect(fonts.contains("WenQuanYi"), "fonts: \(fonts)")
    }
}
