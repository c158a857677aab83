import Foundation
import Testing
import HER2Model
@testable import Reports

/// The chain the pipeline will run: a model trained by HER2Model's Trainer (on the training
/// room's committed feature-table fixture), a Predictor score, then the patient documents
/// drawn from ModelSummary(artifact:).
@Suite struct TrainedModelReportTests {
    @Test func reportFromATrainedModel() throws {
        let table = try FeatureTable.read(path: TestSupport.root.appendingPathComponent("fixtures/training/features.csv").path)
        let context = TrainingContext(backbones: [.init(name: "resnet50", weights: "seeded:7")], preprocessing: [:],
                                      featureSource: "featureTable", inputHash: "sha256:test", demonstrationModel: true,
                                      createdAt: "2026-12-01T00:00:00Z")
        let model = try Trainer().fit(table, context: context).model
        let summary = ModelSummary(artifact: model)
        #expect(summary.demonstration && summary.seededWeights)
        #expect(summary.sha256 == model.contentHash)
        #expect(summary.nomogram.axes.map(\.name) == model.nomogram.axes.map(\.name))
        let row = table.rows.first { $0.reader == 1 }!
        let index = Dictionary(uniqueKeysWithValues: table.featureNames.enumerated().map { ($1, $0) })
        let s = try Predictor(model: model).score(studyId: row.studyId, clinical: row.clinicalValues) { index[$0].map { row.features[$0] } }
        var input = try PatientReportInput.example()
        input.model = summary
        input.prediction.factors = s.factors
        input.prediction.totalPoints = s.totalPoints
        input.prediction.probability = s.probability
        input.prediction.ci95 = s.ci95
        input.prediction.call = s.call
        input.prediction.threshold = model.threshold.probability
        // The nomogram's marks from the stored scales equal the Predictor's points.
        let chart = NomogramChart(nomogram: summary.nomogram, patient: Dictionary(uniqueKeysWithValues: s.factors.map { ($0.name, $0.value) }))
        let (per, total) = chart.patientPoints()
        for (a, f) in zip(per, s.factors) { #expect(abs(a! - f.points) < 1e-9, "\(f.name)") }
        #expect(abs(total! - s.totalPoints) < 1e-9)
        let files = try PatientDocuments.render(input, dicomStudy: nil)
        #expect(files.map(\.name) == ["report.pdf", "hl7.xml", "hl7.er7", "report.dcm"])
        guard let pdftotext = TestSupport.which("pdftotext") else { print("skipped: pdftotext not installed"); return }
        let path = try TestSupport.tempFolder("trained").appendingPathComponent("report.pdf").path
        try files[0].data.write(to: URL(fileURLWithPath: path))
        let (_, text) = try TestSupport.run(pdftotext, [path, "-"])
        #expect(text.contains(String(format: "%.2f", s.probability)))
        #expect(text.contains(model.contentHash))
    }
}
