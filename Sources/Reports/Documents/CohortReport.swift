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

    /// Runs the prediction chain over a cohort folder (`CohortPredictions`), then writes the same
    /// documents as from a predictions CSV, plus that CSV (`predictions.csv`, so the analysis can
    /// be rerun with `--predictions`). Nothing is written when a study fails.
    public static func run(cohort: CohortPredictions, out: String, models: [String]? = nil,
                           settings: CohortAnalysisSettings = CohortAnalysisSettings(),
                           templates: ReportTemplates = .standard, creationDate: String = "2000-01-01T00:00:00Z",
                           progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> Outcome {
        let text = try cohort.csv(progress: progress)
        let source = "predictions.csv"
        let table: PredictionsTable
        do { table = try PredictionsTable(table: try DataTable(csv: text, path: source), models: models) } catch let BiostatisticsError.csv(p, line, reason) {
            throw ReportsError.predictions(path: p, line: line, column: nil, reason: reason)
        }
        let analysis = try CohortAnalysis(table, settings: settings)
        var files = try render(analysis, source: "\(cohort.cohort.lastPathComponent)/ (\(source))", templates: templates, creationDate: creationDate)
        files.append((source, Data(text.utf8)))
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
        let footer = t.text("cohortFooter", ["institution": t.site.site.institution, "source": source, "n": String(a.n),
                                             "positives": String(a.positives), "negatives": String(a.n - a.positives)])
        var files = [(name: String, data: Data)]()

        // ROC
        let roc = try canvas(t.text("cohortRocTitle"))
        var layout = ChartPage(canvas: roc)
        layout.decorate(roc, title: t.text("cohortRocTitle"), footer: footer, templates: t)
        _ = ROCChart(a.models.map { .init(name: t.modelName($0.name), roc: $0.roc) }).draw(in: layout.chart, on: roc, templates: t)
        var notes = [t.text("rocNotesHeading")]
        notes += a.models.map { m in
            t.text("rocModelNote", ["model": t.modelName(m.name), "auc": ROCChart.aucText(m.roc), "threshold": Format.f(m.roc.youden.threshold),
                                    "sensitivity": Format.f(m.roc.youden.sensitivity), "specificity": Format.f(m.roc.youden.specificity)])
        }
        notes += a.pairs.map {
            t.text("rocDeLongNote", ["a": t.modelName($0.a), "b": t.modelName($0.b), "difference": Format.f($0.test.difference),
                                     "z": Format.f($0.test.z, 2), "p": Format.p($0.test.p)])
        }
        roc.textBox(notes.joined(separator: "\n"), in: layout.notes, TextStyle(size: 9), minimumSize: 6)
        files.append(("roc.pdf", try roc.finish()))

        // Calibration: one page per model.
        let cal = try canvas(t.text("cohortCalibrationTitle", ["model": a.models.map { t.modelName($0.name) }.joined(separator: ", ")]))
        for (i, m) in a.models.enumerated() {
            if i > 0 { cal.nextPage() }
            layout = ChartPage(canvas: cal)
            layout.decorate(cal, title: t.text("cohortCalibrationTitle", ["model": t.modelName(m.name)]), footer: footer, templates: t)
            CalibrationChart(calibration: m.calibration, corrected: m.corrected, colourIndex: i).draw(in: layout.chart, on: cal, templates: t)
            let c = m.calibration, hl = c.hosmerLemeshow
            var lines = [
                t.text("calibrationStats", ["brier": Format.f(c.brier, 4), "intercept": Format.f(c.intercept), "slope": Format.f(c.slope)]),
                t.text("calibrationHL", ["chi2": Format.f(hl.chi2, 2), "df": String(hl.df), "p": Format.p(hl.p),
                                         "eavg": Format.f(c.eavg), "emax": Format.f(c.emax), "e90": Format.f(c.e90)]),
                t.text("calibrationCurves", ["replicates": String(m.corrected.replicates),
                                             "failed": m.corrected.failed > 0 ? t.text("calibrationFailed", ["failed": String(m.corrected.failed)]) : ""]),
            ]
            if m.clamped > 0 { lines.append(t.text("calibrationClamped", ["count": String(m.clamped)])) }
            lines += c.diagnostics
            cal.textBox(lines.joined(separator: "\n"), in: layout.notes, TextStyle(size: 9), minimumSize: 6)
        }
        files.append(("calibration.pdf", try cal.finish()))

        // Decision curves.
        let dca = try canvas(t.text("cohortDcaTitle"))
        layout = ChartPage(canvas: dca)
        layout.decorate(dca, title: t.text("cohortDcaTitle"), footer: footer, templates: t)
        DecisionCurveChart(a.models.map { .init(name: t.modelName($0.name), curve: $0.decision) }, prevalence: a.prevalence)
            .draw(in: layout.chart, on: dca, templates: t)
        var dnotes = [t.text("dcaPrevalence", ["prevalence": Format.f(a.prevalence)])]
        if let th = a.models.first?.decision.thresholds {
            let marks = [0.1, 0.2, 0.3, 0.5].compactMap { v in th.firstIndex { abs($0 - v) < 1e-9 } }
            for m in a.models {
                dnotes.append(t.text("dcaModelNote", ["model": t.modelName(m.name),
                                                      "values": marks.map { "\(Format.f(th[$0], 1)): \(Format.f(m.decision.model[$0]))" }.joined(separator: ", "),
                                                      "all": marks.map { Format.f(m.decision.all[$0]) }.joined(separator: ", ")]))
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
