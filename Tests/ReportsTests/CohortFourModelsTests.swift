import Foundation
import Testing
import Biostatistics
@testable import Reports

/// roc.pdf with a fourth model column (`radiomics`, as the radiomics `train` writes it): four
/// curves with four legend entries, all six DeLong pairs, each number equal to Biostatistics on
/// that column. And crowded nomogram axes: no two tick labels on one side of an axis touch.
@Suite struct CohortFourModelsTests {
    @Test func fourModelsFourCurvesSixPairs() throws {
        let source = try String(contentsOfFile: TestSupport.fixture("cohort_predictions.csv"), encoding: .utf8)
        var lines = source.split(separator: "\n").map(String.init)
        // radiomics = the mean of the clinical and deep probabilities (a fourth, different score).
        let header = lines[0].split(separator: ",").map(String.init)
        let ci = header.firstIndex(of: "clinical")!, di = header.firstIndex(of: "deep")!
        lines[0] += ",radiomics"
        var radiomics = [Double]()
        for k in 1..<lines.count {
            let cells = lines[k].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let r = (Double(cells[ci])! + Double(cells[di])!) / 2
            radiomics.append(r)
            lines[k] += String(format: ",%.17g", r)
        }
        let dir = try TestSupport.tempFolder("four")
        let csv = dir.appendingPathComponent("predictions.csv").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: csv, atomically: true, encoding: .utf8)
        var settings = CohortAnalysisSettings()
        settings.bootstrapReplicates = 10
        let out = dir.appendingPathComponent("out").path
        let outcome = try CohortReport.run(predictions: csv, out: out, settings: settings)
        let a = outcome.analysis
        #expect(a.models.map(\.name) == ["clinical", "deep", "combined", "radiomics"])
        #expect(a.pairs.count == 6)
        let table = try PredictionsTable.read(path: csv)
        let reference = try ROCAnalysis(scores: radiomics, labels: table.labels)
        #expect(a.models[3].roc.auc == reference.auc && a.models[3].roc.ci.lower == reference.ci.lower)
        let pair = try #require(a.pairs.first { $0.a == "combined" && $0.b == "radiomics" })
        #expect(pair.test.p == (try a.models[2].roc.compare(with: reference)).p)
        // Four legend rows (plus the Youden marker) drawn, each with its own dash.
        let c = try PDFCanvas(width: PageSize.a4.width, height: PageSize.a4.height, metadata: PDFMetadata(title: "t", author: "a", subject: "s"))
        _ = ROCChart(a.models.map { .init(name: $0.name, roc: $0.roc) }).draw(in: Rect(x: 48, y: 82, width: 499, height: 499), on: c, templates: .standard)
        let legend = c.textLog.map(\.text).filter { $0.contains(": AUC ") }
        #expect(legend.count == 4)
        for m in a.models { #expect(legend.contains { $0.hasPrefix("\(m.name): AUC \(ROCChart.aucText(m.roc))") }) }
        #expect(Set((0..<4).map { ReportTemplates.standard.site.seriesStyle($0).dash }).count == 4)
        guard let pdftotext = TestSupport.which("pdftotext") else { print("skipped: pdftotext not installed"); return }
        let text = try TestSupport.run(pdftotext, [out + "/roc.pdf", "-"]).1
        #expect(text.contains("DeLong test combined vs radiomics"))
        #expect(text.contains("radiomics: AUC"))
    }

    @Test func crowdedNomogramLabelsDoNotTouch() throws {
        // A deep-learning score spanning 0.16 units over 70 points with ticks every 0.02 (as the
        // demonstration model's), and age over 11 points with 13 ticks.
        let score = NomogramLayout.Axis(name: "radScore", values: (0..<9).map { Double(-58 + 2 * $0) / 100 },
                                        points: (0..<9).map { Double($0) * 8.7 }, pointsPerUnit: 435, minimumEffect: 0)
        let age = NomogramLayout.Axis(name: "age", values: (0..<13).map { Double(30 + 5 * $0) },
                                      points: (0..<13).map { 10.9 - Double($0) * 10.9 / 12 }, pointsPerUnit: -0.18, minimumEffect: 0)
        let layout = NomogramLayout(axes: [score, age], scale: 44, linearPredictorAtZero: -4.5, totalPointsTicks: [0, 20, 40, 60, 80],
                                    probabilityTicks: [(0.05, 10), (0.1, 30), (0.2, 50)])
        let c = try PDFCanvas(width: PageSize.a4.width, height: PageSize.a4.height, metadata: PDFMetadata(title: "t", author: "a", subject: "s"))
        let chart = NomogramChart(nomogram: layout)
        chart.draw(in: Rect(x: 36, y: 100, width: 523, height: 400), on: c, templates: .standard, accent: .black)
        let labels = Set(chart.labels(score) + chart.labels(age))
        let drawn = c.textLog.filter { labels.contains($0.text) }
        let gap = c.measure("m", TextStyle(size: 7.5))
        for (i, a) in drawn.enumerated() {
            for b in drawn[(i + 1)...] where abs(a.drawn.y - b.drawn.y) < 1 {
                let apart = max(b.drawn.x - a.drawn.maxX, a.drawn.x - b.drawn.maxX)
                #expect(apart >= gap - 0.01, "\"\(a.text)\" and \"\(b.text)\" are \(apart) pt apart")
            }
        }
        // Thinned, not emptied: both ends of the score axis are labelled.
        #expect(drawn.contains { $0.text == "-0.58" } && drawn.contains { $0.text == "-0.42" })
    }
}
