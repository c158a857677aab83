import Foundation
import Testing
import HER2Model
@testable import Reports

/// The per-patient report: readable text, valid PDF, every text in its box, the nomogram's
/// marks equal the patient's points.
@Suite struct PatientReportTests {
    @Test func pdfHoldsIdentityResultAndBanners() throws {
        let input = try PatientReportInput.example()
        let pdf = try PatientReport.render(input)
        let dir = try TestSupport.tempFolder("patient")
        let path = dir.appendingPathComponent("report.pdf").path
        try pdf.write(to: URL(fileURLWithPath: path))
        guard let qpdf = TestSupport.which("qpdf"), let pdftotext = TestSupport.which("pdftotext") else {
            print("skipped: qpdf or pdftotext not installed (make setup installs qpdf and poppler-utils)")
            return
        }
        let (st, msg) = try TestSupport.run(qpdf, ["--check", path])
        #expect(st == 0, "\(msg)")
        let (_, all) = try TestSupport.run(pdftotext, [path, "-"])
        #expect(all.contains("PID-0007"))
        #expect(all.contains(String(format: "%.2f", input.prediction.probability)))
        #expect(all.contains(input.prediction.call == .positive ? "HER2-positive" : "HER2-negative"))
        #expect(all.contains("DOE, Jane"))
        #expect(all.contains("does not replace pathology"))
        for page in 1...2 {
            let (_, text) = try TestSupport.run(pdftotext, ["-f", "\(page)", "-l", "\(page)", path, "-"])
            #expect(text.contains("DEMONSTRATION MODEL"), "page \(page) lacks the demonstration banner")
        }
        let (_, info) = try TestSupport.run(TestSupport.which("pdfinfo") ?? "/usr/bin/pdfinfo", [path])
        let lines = info.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("Pages:") && $0.hasSuffix(" 2") }, "\(info)")
        #expect(lines.contains { $0.hasPrefix("Page size:") && $0.contains("(A4)") }, "\(info)")
    }

    @Test func noBannerForAClinicalModel() throws {
        var input = try PatientReportInput.example()
        input.model.demonstration = false
        input.prediction.demonstrationModel = false
        let pdf = try PatientReport.render(input)
        #expect(!String(decoding: pdf, as: UTF8.self).contains("DEMONSTRATION"))   // sanity: text is in font encoding anyway
        guard let pdftotext = TestSupport.which("pdftotext") else { print("skipped: pdftotext not installed"); return }
        let path = try TestSupport.tempFolder("clinical").appendingPathComponent("r.pdf").path
        try pdf.write(to: URL(fileURLWithPath: path))
        #expect(try !TestSupport.run(pdftotext, [path, "-"]).1.contains("DEMONSTRATION MODEL"))
    }

    @Test func nomogramMarksArePatientPoints() throws {
        let input = try PatientReportInput.example()
        let values = Dictionary(uniqueKeysWithValues: input.prediction.factors.map { ($0.name, $0.value) })
        let chart = NomogramChart(nomogram: input.model.nomogram, patient: values)
        let (per, total) = chart.patientPoints()
        // The example's factor points come from Biostatistics.Nomogram.points(for:).
        let expected = input.prediction.factors.map(\.points)
        for (a, b) in zip(per, expected) { #expect(abs(a! - b) < 1e-9) }
        #expect(abs(total! - input.prediction.totalPoints) < 1e-9)
        // Drawn marks sit at points / 100 of the axis width.
        let c = try PDFCanvas(width: 600, height: 400, metadata: PDFMetadata(title: "t", author: "a", subject: "s"))
        let rect = Rect(x: 0, y: 0, width: 600, height: 400)
        let marks = chart.draw(in: rect, on: c, templates: .standard, accent: .black)
        let left = min(140, 600 * 0.26) + 8, width = 600 - 14 - left
        for (m, p) in zip(marks, expected) { #expect(abs(m - (left + p / 100 * width)) < 1e-9) }
    }

    @Test func everyTextFitsItsBox() throws {
        let long = String(repeating: "Verylongfamilyname", count: 6) + "^" + String(repeating: "Given ", count: 10)
        let input = try PatientReportInput.example(patientName: long)
        let pdf = try PatientReport.render(input)
        #expect(pdf.count > 10_000)
        let log = try PatientReport.renderLog(input)
        #expect(log.count > 50)
        for e in log {
            #expect(e.drawn.x >= -0.01 && e.drawn.maxX <= PageSize.a4.width + 0.01)
            if let box = e.box { #expect(box.contains(e.drawn, tolerance: 0.01), "\"\(e.text)\" overruns \(box)") }
        }
    }

    @Test func badInputIsRefused() throws {
        var input = try PatientReportInput.example()
        input.prediction.probability = .nan
        #expect(throws: ReportsError.self) { try PatientReport.render(input) }
        input = try PatientReportInput.example()
        input.keyImages[0].pixels.removeLast()
        #expect(throws: ReportsError.self) { try PatientReport.render(input) }
    }
}
