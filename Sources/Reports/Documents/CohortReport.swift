import Foundation
import Biostatistics

/// `her2mri cohort-report`: from a predictions CSV, the QA documents — `roc.pdf`,
/// `calibration.pdf` (one page per model), `dca.pdf`, `table1.pdf` when clinical columns are
/// present, and `cohort_metrics.json` with every number drawn. All files appear together or
/// not at all.
public enum CohortReport {
    /// What was written.
    public struct Outcome: Sendable {
        public let files: [String]
        public let analysis: CohortAnalysis
    }

    /// Reads `predictions`, analyses it and writes the documents into `out`.
    public static func run(predictions: String, out: String, models: [String]? = nil,
                           settings: CohortAnalysisSettings = CohortAnalysisSettings(),
                           templates: ReportTemplates = .standard, creationDate: String = "2000-01-01T00:00:00Z") throws -> Outcome {
        let table = try PredictionsTable.read(path: predictions, models: models)
        let analysis = try CohortAnalysis(table, settings: settings)
        let source = (predictions as NSString).lastPathComponent
        let files = try render(analysis, source: source, templates: templates, creationDate: creationDate)
        try OutputFolder.write(files, to: out)
        return Outcome(files: files.map { $0.name }, analysis: analysis)
    }

    /// The documents as bytes, by file name.
    public static func render(_ a: CohortAnalysis, source: String, templates t: ReportTemplates,
                              creationDate: String) throws -> [(name: String, data: Data)] {
        func canvas(_ title: String) throws -> PDFCanvas {
            try PDFCanvas(width: PageSize.a4.width, height: PageSize.a4.height,
                          metadata: PDFMetadata(title: title, author: t.site.site.author, subject: "Cohort validation of \(source)",
                                                keywords: "HER2, MRI, validation", creationDate: creationDate),
                          fontFamily: t.site.effectiveFontFamily)
        }
        let footer = "\(t.site.site.institution) · \(source) · n = \(a.n) (\(a.positives) HER2-positive, \(a.n - a.positives) HER2-negative)"
        var files = [(name: String, data: Data)]()

        // ROC
        let roc = try canvas(t.text("cohortRocTitle"))
        var layout = ChartPage(canvas: roc)
        layout.decorate(roc, title: t.text("cohortRocTitle"), footer: footer, templates: t)
        _ = ROCChart(a.models.map { .init(name: $0.name, roc: $0.roc) }).draw(in: layout.chart, on: roc, templates: t)
        var notes = a.models.map { m in
            "\(m.name): AUC \(ROCChart.aucText(m.roc)) (DeLong 95 % CI); Youden threshold \(Format.f(m.roc.youden.threshold)), "
                + "sensitivity \(Format.f(m.roc.youden.sensitivity)), specificity \(Format.f(m.roc.youden.specificity))."
        }
        notes += a.pairs.map { "DeLong test \($0.a) vs \($0.b): ΔAUC = \(Format.f($0.test.difference)), z = \(Format.f($0.test.z, 2)), \(Format.p($0.test.p))." }
        roc.textBox(notes.joined(separator: "\n"), in: layout.notes, TextStyle(size: 9), minimumSize: 6)
        files.append(("roc.pdf", try roc.finish()))

        // Calibration: one page per model.
        let cal = try canvas("Calibration")
        for (i, m) in a.models.enumerated() {
            if i > 0 { cal.nextPage() }
            layout = ChartPage(canvas: cal)
            layout.decorate(cal, title: t.text("cohortCalibrationTitle", ["model": m.name]), footer: footer, templates: t)
            CalibrationChart(calibration: m.calibration, corrected: m.corrected, colourIndex: i).draw(in: layout.chart, on: cal, templates: t)
            let c = m.calibration, hl = c.hosmerLemeshow
            var lines = [
                "Brier score \(Format.f(c.brier, 4)); calibration intercept \(Format.f(c.intercept)), slope \(Format.f(c.slope)) (joint fit y ~ a + b·logit(p)).",
                "Hosmer–Lemeshow χ² = \(Format.f(hl.chi2, 2)), df = \(hl.df), \(Format.p(hl.p)); Eavg \(Format.f(c.eavg)), Emax \(Format.f(c.emax)), E90 \(Format.f(c.e90)).",
                "Curves: rms::calibrate (LOWESS) of the recalibration y ~ logit(p), drawn against the original p; bias-corrected by \(m.corrected.replicates) bootstrap resamples"
                    + (m.corrected.failed > 0 ? " (\(m.corrected.failed) failed and skipped)." : "."),
            ]
            if m.clamped > 0 { lines.append("\(m.clamped) probabilities of exactly 0 or 1 were moved to 1e-8 / 1 − 1e-8 for the logit.") }
            lines += c.diagnostics
            cal.textBox(lines.joined(separator: "\n"), in: layout.notes, TextStyle(size: 9), minimumSize: 6)
        }
        files.append(("calibration.pdf", try cal.finish()))

        // Decision curves.
        let dca = try canvas(t.text("cohortDcaTitle"))
        layout = ChartPage(canvas: dca)
        layout.decorate(dca, title: t.text("cohortDcaTitle"), footer: footer, templates: t)
        DecisionCurveChart(a.models.map { .init(name: $0.name, curve: $0.decision) }, prevalence: a.prevalence)
            .draw(in: layout.chart, on: dca, templates: t)
        var dnotes = ["Prevalence \(Format.f(a.prevalence)). Net benefit = TP/n − FP/n · t/(1 − t), treating when risk ≥ t (Vickers & Elkin 2006)."]
        if let th = a.models.first?.decision.thresholds {
            let marks = [0.1, 0.2, 0.3, 0.5].compactMap { v in th.firstIndex { abs($0 - v) < 1e-9 } }
            for m in a.models {
                dnotes.append("\(m.name): net benefit " + marks.map { "\(Format.f(th[$0], 1)): \(Format.f(m.decision.model[$0]))" }.joined(separator: ", ")
                              + " (treat all: " + marks.map { Format.f(m.decision.all[$0]) }.joined(separator: ", ") + ").")
            }
        }
        dca.textBox(dnotes.joined(separator: "\n"), in: layout.notes, TextStyle(size: 9), minimumSize: 6)
        files.append(("dca.pdf", try dca.finish()))

        if let t1 = a.table1 {
            let doc = try canvas(t.text("table1Title"))
            Table1Document(table: t1).draw(on: doc, templates: t, footer: footer)
            files.append(("table1.pdf", try doc.finish()))
        }
        files.append(("cohort_metrics.json", Data((a.metricsJSON(source: source).serialized() + "\n").utf8)))
        return files
    }
}
