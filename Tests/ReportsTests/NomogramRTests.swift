import Foundation
import Testing
import Biostatistics
import LinearAlgebra
@testable import Reports

/// The drawn nomogram against rms::nomogram for the same lrm fit
/// (tools/reports/nomogram_vs_r.R): the same axes, tick values and points; the labels we draw
/// are R's tick values. Set HER2MRI_NOMOGRAM_PDF=path to keep our drawing for a side-by-side
/// look with R's PNG.
@Suite struct NomogramRTests {
    @Test func sameAxesTicksAndPointsAsR() throws {
        let ref = try TestSupport.json(TestSupport.fixture("nomogram_ref.json"))
        let table = try DataTable.read(path: TestSupport.fixture("nomogram_data.csv"))
        let names = ref["names"] as! [String]
        let columns = try names.map { try table.numeric($0) }
        var data = Matrix(rows: table.rowCount, columns: names.count)
        for i in 0..<table.rowCount { for j in 0..<names.count { data[i, j] = columns[j][i] } }
        let nom = try Nomogram(intercept: ref.d("intercept"), coefficients: ref.a("coefficients"), names: names, data: data)
        let axes = ref["axes"] as! [[String: Any]]
        #expect(nom.axes.map(\.name) == axes.map { $0["name"] as! String })
        for (a, r) in zip(nom.axes, axes) {
            #expect(a.values == r.a("values"), "\(a.name) tick values")
            for (p, q) in zip(a.points, r.a("points")) { #expect(abs(p - q) < 0.01, "\(a.name) points \(p) vs rms \(q)") }
        }
        #expect(nom.totalPointsTicks == ref.a("totalPoints"))
        let prob = ref.o("probability")
        #expect(nom.probabilityTicks.map(\.probability) == prob.a("probability"))
        for (t, q) in zip(nom.probabilityTicks, prob.a("points")) { #expect(abs(t.points - q) < 0.01) }

        // Draw it with a patient and check the labels are R's values.
        let patient = Dictionary(uniqueKeysWithValues: zip(names, [0.8, 62, 1, 0, 31, 2, 0]))
        let c = try PDFCanvas(width: PageSize.a4Landscape.width, height: PageSize.a4Landscape.height,
                              metadata: PDFMetadata(title: "Nomogram", author: "her2mri", subject: "beside rms::nomogram"))
        let chart = NomogramChart(nomogram: NomogramLayout(nom), patient: patient)
        let marks = chart.draw(in: Rect(x: 30, y: 30, width: c.width - 60, height: c.height - 60), on: c, templates: .standard, accent: .black)
        #expect(marks.count == names.count + 1)
        let drawn = Set(c.textLog.map(\.text))
        for (a, r) in zip(nom.axes, axes) {
            let expected = Set(chart.labels(NomogramLayout(nom).axes.first { $0.name == a.name }!))
            let values = r.a("values")
            #expect(expected.count == values.count)
            let shown = expected.intersection(drawn)
            #expect(shown.count >= min(2, values.count), "\(a.name): only \(shown) of \(expected) drawn")
        }
        for v in ref.a("totalPoints") { #expect(drawn.contains(String(Int(v))), "total points tick \(v) missing") }
        let pdf = try c.finish()
        if let keep = ProcessInfo.processInfo.environment["HER2MRI_NOMOGRAM_PDF"] { try pdf.write(to: URL(fileURLWithPath: keep)) }
    }
}
