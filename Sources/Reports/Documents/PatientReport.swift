import Foundation
import Biostatistics
import HER2Model

/// Everything one patient's report is made from.
public struct PatientReportInput: Sendable {
    public var prediction: Prediction
    public var manifest: StudyManifest
    public var model: ModelSummary
    /// Key images (the lesion slice on the DCE subtraction and on T2), in display order.
    public var keyImages: [KeyImage]
    /// The time printed as the report time (and the PDF's creation date).
    public var reportTime: Date
    /// Software version for the provenance block.
    public var softwareVersion: String

    public init(prediction: Prediction, manifest: StudyManifest, model: ModelSummary, keyImages: [KeyImage],
                reportTime: Date, softwareVersion: String = "her2mri") {
        self.prediction = prediction; self.manifest = manifest; self.model = model
        self.keyImages = keyImages; self.reportTime = reportTime; self.softwareVersion = softwareVersion
    }
}

/// The per-patient `report.pdf` for the tumour board: A4 portrait, two pages, black text and
/// dashed/solid lines so it prints in grey. Page 1: header, result (probability with 95 % CI,
/// call at the model threshold, one plain sentence), the nomogram with this patient marked,
/// the pathology statement. Page 2: key images with the lesion contour, scale bar and
/// orientation letters, the kinetic curve, the factors with values and points, provenance.
/// A demonstration model prints a banner on every page.
public enum PatientReport {
    static let margin = 36.0

    public static func render(_ input: PatientReportInput, templates t: ReportTemplates = .standard) throws -> Data {
        try draw(input, templates: t).finish()
    }

    /// The text runs drawn and their boxes (for the no-overrun tests).
    static func renderLog(_ input: PatientReportInput, templates t: ReportTemplates = .standard) throws -> [(text: String, drawn: Rect, box: Rect?)] {
        try draw(input, templates: t).textLog
    }

    static func draw(_ input: PatientReportInput, templates t: ReportTemplates) throws -> PDFCanvas {
        let p = input.prediction
        guard p.probability.isFinite, p.probability >= 0, p.probability <= 1 else {
            throw ReportsError.invalidInput("prediction for \(p.studyId): probability \(p.probability) is not in [0, 1]")
        }
        for k in input.keyImages { try k.validate() }
        let m = input.manifest
        let c = try PDFCanvas(width: PageSize.a4.width, height: PageSize.a4.height,
                              metadata: PDFMetadata(title: "\(t.text("reportTitle")) — \(m.patient.id)", author: t.site.site.author,
                                                    subject: "HER2 prediction for study \(p.studyId)", keywords: "HER2, MRI, nomogram",
                                                    creationDate: PDFMetadata.isoDate(input.reportTime)),
                              fontFamily: t.site.effectiveFontFamily)
        let pages = 2
        var y = frame(c, page: 1, of: pages, input: input, t: t)
        y = header(c, top: y, input: input, t: t)
        y = result(c, top: y + 8, input: input, t: t)
        let nomoRect = Rect(x: margin, y: y + 10, width: c.width - 2 * margin, height: c.height - margin - 70 - (y + 10))
        section(c, t.text("nomogram"), at: nomoRect.y)
        let patientValues = Dictionary(p.factors.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        let names = Dictionary(input.model.nomogram.axes.map { ($0.name, predictorName($0.name, input: input, t: t)) }, uniquingKeysWith: { a, _ in a })
        NomogramChart(nomogram: input.model.nomogram, displayNames: names, patient: patientValues,
                      wording: (t.text("yes"), t.text("no")))
            .draw(in: Rect(x: nomoRect.x, y: nomoRect.y + 16, width: nomoRect.width, height: nomoRect.height - 16), on: c,
                  templates: t, accent: t.site.colour(t.site.colours.accent))
        pathology(c, t: t)

        c.nextPage()
        y = frame(c, page: 2, of: pages, input: input, t: t)
        y = keyImages(c, top: y, input: input, t: t)
        y = kineticAndFactors(c, top: y + 8, input: input, t: t)
        provenance(c, top: y + 8, input: input, t: t)
        pathology(c, t: t)
        return c
    }

    // MARK: page furniture

    /// Banner, site line and page number; returns the y where content starts.
    static func frame(_ c: PDFCanvas, page: Int, of pages: Int, input: PatientReportInput, t: ReportTemplates) -> Double {
        var y = margin
        if input.model.demonstration || input.prediction.demonstrationModel {
            let r = Rect(x: margin, y: y, width: c.width - 2 * margin, height: 20)
            let colour = t.site.colour(t.site.colours.demonstration)
            c.rectangle(r, fill: RGBColor(grey: 0.92), stroke: StrokeStyle(color: colour, width: 1.2))
            c.fitText(t.text("demonstration"), in: r.inset(3), TextStyle(size: 11, bold: true, color: colour), minimumSize: 7, align: .center)
            y += 26
        }
        let site = t.site.site
        c.fitText("\(site.institution) · \(site.department)", in: Rect(x: margin, y: y, width: c.width * 0.6, height: 12),
                  TextStyle(size: 8.5, color: RGBColor(grey: 0.25)))
        c.fitText("\(input.manifest.patient.id) · " + t.text("page", ["page": String(page), "pages": String(pages)]),
                  in: Rect(x: c.width * 0.6, y: y, width: c.width * 0.4 - margin, height: 12), TextStyle(size: 8.5, color: RGBColor(grey: 0.25)), align: .right)
        y += 14
        c.line(from: Point(margin, y), to: Point(c.width - margin, y), style: StrokeStyle(color: .black, width: 0.6))
        return y + 6
    }

    static func section(_ c: PDFCanvas, _ title: String, at y: Double) {
        c.fitText(title, in: Rect(x: margin, y: y, width: c.width - 2 * margin, height: 14), TextStyle(size: 11, bold: true))
    }

    static func pathology(_ c: PDFCanvas, t: ReportTemplates) {
        let r = Rect(x: margin, y: c.height - margin - 40, width: c.width - 2 * margin, height: 36)
        c.rectangle(r, stroke: StrokeStyle(color: .black, width: 0.8))
        c.textBox(t.text("pathology"), in: r.inset(5), TextStyle(size: 8.5, bold: true), minimumSize: 6)
    }

    // MARK: page 1

    static func header(_ c: PDFCanvas, top: Double, input: PatientReportInput, t: ReportTemplates) -> Double {
        let m = input.manifest
        c.fitText(t.text("reportTitle"), in: Rect(x: margin, y: top, width: c.width - 2 * margin, height: 22), TextStyle(size: 17, bold: true), minimumSize: 11)
        let name = DisplayName.person(m.patient.name) ?? "—"
        let fields: [(String, String)] = [
            (t.text("patient"), name), (t.text("patientId"), m.patient.id),
            (t.text("birthDate"), DisplayName.date(m.patient.birthDate)), (t.text("accession"), m.study.accessionNumber ?? "—"),
            (t.text("studyDate"), DisplayName.date(m.study.date)), (t.text("centre"), m.study.centre ?? "—"),
            (t.text("reportTime"), DisplayName.time(input.reportTime)), (t.text("study"), input.prediction.studyId),
        ]
        let colW = (c.width - 2 * margin) / 2, rowH = 13.0
        var y = top + 28
        for (i, (k, v)) in fields.enumerated() {
            let x = margin + Double(i % 2) * colW
            c.fitText(k, in: Rect(x: x, y: y, width: 78, height: rowH), TextStyle(size: 8.5, color: RGBColor(grey: 0.3)), minimumSize: 6)
            c.fitText(v, in: Rect(x: x + 80, y: y, width: colW - 86, height: rowH), TextStyle(size: 9.5, bold: i < 2), minimumSize: 6)
            if i % 2 == 1 { y += rowH }
        }
        return y + 4
    }

    static func result(_ c: PDFCanvas, top: Double, input: PatientReportInput, t: ReportTemplates) -> Double {
        let p = input.prediction
        let box = Rect(x: margin, y: top, width: c.width - 2 * margin, height: 92)
        c.rectangle(box, fill: RGBColor(grey: 0.95), stroke: StrokeStyle(color: .black, width: 0.8))
        let inner = box.inset(8)
        c.fitText(t.text("result"), in: Rect(x: inner.x, y: inner.y, width: inner.width, height: 13), TextStyle(size: 10.5, bold: true))
        let half = inner.width / 2
        let prob = String(format: "%.2f", p.probability)
        let ci = p.ci95.count == 2 ? String(format: "%@ %.2f–%.2f", t.text("ci"), p.ci95[0], p.ci95[1]) : ""
        c.fitText("\(t.text("probability")): \(prob)", in: Rect(x: inner.x, y: inner.y + 16, width: half - 6, height: 18), TextStyle(size: 14, bold: true), minimumSize: 8)
        c.fitText(ci, in: Rect(x: inner.x, y: inner.y + 35, width: half - 6, height: 12), TextStyle(size: 9.5), minimumSize: 6)
        let call = p.call == .positive ? t.text("callPositive") : t.text("callNegative")
        let thr = String(format: "%.2f", p.threshold)
        c.fitText(t.text("call", ["threshold": thr]), in: Rect(x: inner.x + half, y: inner.y + 16, width: half, height: 12), TextStyle(size: 9, color: RGBColor(grey: 0.3)))
        c.fitText(call, in: Rect(x: inner.x + half, y: inner.y + 29, width: half, height: 18), TextStyle(size: 14, bold: true), minimumSize: 8)
        let sentence = t.text(p.call == .positive ? "sentencePositive" : "sentenceNegative", ["probability": prob, "threshold": thr])
        c.textBox(sentence, in: Rect(x: inner.x, y: inner.y + 52, width: inner.width, height: inner.maxY - inner.y - 52), TextStyle(size: 9), minimumSize: 6.5)
        return box.maxY
    }

    // MARK: page 2

    static func keyImages(_ c: PDFCanvas, top: Double, input: PatientReportInput, t: ReportTemplates) -> Double {
        section(c, t.text("keyImages"), at: top)
        let images = input.keyImages.prefix(2)
        let h = 230.0
        guard !images.isEmpty else {
            c.fitText(t.text("noKeyImages"), in: Rect(x: margin, y: top + 18, width: c.width - 2 * margin, height: 12), TextStyle(size: 9), minimumSize: 6)
            return top + 34
        }
        let gap = 12.0
        let w = (c.width - 2 * margin - gap) / 2
        for (i, k) in images.enumerated() {
            let cell = Rect(x: margin + Double(i) * (w + gap), y: top + 18, width: w, height: h)
            KeyImageView(image: k, lesion: t.site.colour(t.site.colours.lesion)).draw(in: cell, on: c)
        }
        return top + 18 + h
    }

    static func kineticAndFactors(_ c: PDFCanvas, top: Double, input: PatientReportInput, t: ReportTemplates) -> Double {
        let p = input.prediction, ms = p.measures
        let w = (c.width - 2 * margin - 12) / 2
        let h = 190.0
        // Kinetic curve
        section(c, t.text("kineticCurve"), at: top)
        let chartRect = Rect(x: margin, y: top + 16, width: w, height: h - 16)
        let types = t.list("kineticTypes")
        let typeName = (1...3).contains(ms.kineticType) && types.count == 3 ? types[ms.kineticType - 1] : t.text("kineticTypeN", ["type": String(ms.kineticType)])
        if ms.kineticSignals.count >= 2 && ms.kineticSignals.count == ms.phaseMinutes.count {
            let x = ChartAxis.nice(ms.phaseMinutes.min()!, ms.phaseMinutes.max()!, title: t.text("minutes"), n: 5)
            let y = ChartAxis.nice(ms.kineticSignals.min()! * 0.95, ms.kineticSignals.max()! * 1.05, title: t.text("signal"), n: 4)
            let f = ChartFrame(outer: Rect(x: chartRect.x, y: chartRect.y, width: chartRect.width, height: chartRect.height - 14), x: x, y: y, fontSize: 7.5)
            f.drawAxes(on: c)
            let s = t.site.seriesStyle(0)
            f.line(ms.phaseMinutes, ms.kineticSignals, on: c, style: s)
            f.markers(ms.phaseMinutes, ms.kineticSignals, on: c, color: s.color, filled: true)
        }
        c.fitText(t.text("kineticSummary", ["type": typeName, "initial": String(format: "%+.0f", ms.initialEnhancement * 100),
                                            "delayed": String(format: "%+.0f", ms.delayedChange * 100)]),
                  in: Rect(x: chartRect.x, y: chartRect.maxY - 12, width: chartRect.width, height: 12), TextStyle(size: 8), minimumSize: 6)
        // Factors table
        let tx = margin + w + 12
        c.fitText(t.text("factors"), in: Rect(x: tx, y: top, width: w, height: 14), TextStyle(size: 11, bold: true))
        var y = top + 18
        let cols = [w * 0.5, w * 0.28, w * 0.22]
        func row(_ cells: [String], bold: Bool = false) {
            var x = tx
            for (k, s) in cells.enumerated() {
                c.fitText(s, in: Rect(x: x + 2, y: y, width: cols[k] - 4, height: 13), TextStyle(size: 8.5, bold: bold), minimumSize: 6, align: k == 0 ? .left : .right)
                x += cols[k]
            }
            y += 14
        }
        row([t.text("factor"), t.text("value"), t.text("points")], bold: true)
        c.line(from: Point(tx, y - 1), to: Point(tx + w, y - 1), style: StrokeStyle(color: .black, width: 0.6))
        for f in p.factors {
            let name = predictorName(f.name, input: input, t: t) + (ms.overridden.contains(f.name) ? " *" : "")
            row([name, DisplayName.value(f.value, yes: t.text("yes"), no: t.text("no"), binary: isBinary(f.name, model: input.model)), String(format: "%.1f", f.points)])
        }
        c.line(from: Point(tx, y - 1), to: Point(tx + w, y - 1), style: StrokeStyle(color: .black, width: 0.6))
        row([t.text("totalPoints"), "", String(format: "%.1f", p.totalPoints)], bold: true)
        y += 4
        var measures = [t.text("measuresSize", ["diameter": String(format: "%.1f", ms.diameterMm), "volume": String(format: "%.2f", ms.volumeMm3 / 1000)])]
        measures.append(t.text("measuresEdema", ["answer": ms.peritumoralEdema ? t.text("yes") : t.text("no"),
                                                 "ratio": ms.edemaRatio.map { t.text("edemaRatio", ["ratio": String(format: "%.2f", $0)]) } ?? ""]))
        if !ms.overridden.isEmpty {
            measures.append(t.text("measuresOverridden", ["names": ms.overridden.map { predictorName($0, input: input, t: t) }.joined(separator: ", ")]))
        }
        c.textBox(measures.joined(separator: "\n"), in: Rect(x: tx, y: y, width: w, height: top + h - y), TextStyle(size: 8), minimumSize: 6)
        return top + h
    }

    /// A predictor's display name: the template's "predictor.<name>" (so a translation names
    /// it in its language), else the model's own display name.
    static func predictorName(_ name: String, input: PatientReportInput, t: ReportTemplates) -> String {
        t.text("predictor.\(name)", or: input.model.displayName(name))
    }

    static func isBinary(_ name: String, model: ModelSummary) -> Bool {
        model.nomogram.axes.first { $0.name == name }?.values == [0, 1]
    }

    /// The training cohort line in the report's language.
    static func trainingCohort(_ f: ModelSummary.TrainingFacts, t: ReportTemplates) -> String {
        var s = t.text("trainingCohortText", ["studies": String(f.studies), "centres": String(f.centres.count),
                                              "names": f.centres.joined(separator: ", "), "percent": String(f.positivePercent)])
        if let v = f.validationCentre { s += t.text("trainingHeldOut", ["centre": v, "studies": String(f.validationStudies)]) }
        if f.aucOnTraining { s += t.text("trainingAUCNote") }
        return s
    }

    static func provenance(_ c: PDFCanvas, top: Double, input: PatientReportInput, t: ReportTemplates) {
        section(c, t.text("provenance"), at: top)
        let mdl = input.model, p = input.prediction
        var auc = "—"
        if let a = mdl.validationAUC {
            auc = String(format: "%.3f", a) + (mdl.validationAUCCI.map { t.text("aucCI", ["ci": t.text("ci"), "lower": String(format: "%.3f", $0.lower), "upper": String(format: "%.3f", $0.upper)]) } ?? "")
        }
        let rows: [(String, String)] = [
            (t.text("model"), mdl.modelId), (t.text("modelHash"), mdl.sha256),
            (t.text("trainingCohort"), mdl.trainingFacts.map { trainingCohort($0, t: t) } ?? mdl.trainingCohort), (t.text("validationAUC"), auc),
            (t.text("weights"), (mdl.seededWeights || p.seededWeights) ? t.text("seeded") : t.text("pretrained")),
            (t.text("mask"), p.automaticMask ? t.text("maskAutomatic") : t.text("maskGiven")),
            (t.text("software"), input.softwareVersion),
        ]
        var y = top + 18
        let bottom = c.height - margin - 46
        for (k, v) in rows where y + 12 <= bottom {
            c.fitText(k, in: Rect(x: margin, y: y, width: 120, height: 12), TextStyle(size: 8.5, color: RGBColor(grey: 0.3)), minimumSize: 6)
            c.fitText(v, in: Rect(x: margin + 124, y: y, width: c.width - 2 * margin - 124, height: 12), TextStyle(size: 8.5), minimumSize: 5)
            y += 13
        }
    }
}
