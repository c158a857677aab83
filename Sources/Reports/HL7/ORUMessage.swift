import Foundation
import HER2Model

/// The ORU^R01 unsolicited observation message for one prediction (HL7 v2.5.1 chapter 7):
/// MSH, PID, PV1, ORC, OBR, then OBX for the probability (NM, units UCUM "1") and its 95 %
/// confidence limits (NM), the call (CWE, with POS/NEG in OBX-8), the nomogram total and each
/// factor's value and points (NM, OBX-4 = factor number), and the report PDF (ED, base64,
/// application/pdf). OBX-17 names the model (method) and OBX-18 carries its SHA-256 (equipment
/// instance). An NTE after the call states that the result does not replace pathology.
/// Parties and codes come from the site configuration (`templates/reports/site.json`).
public enum ORUMessage {
    /// Everything the message is made from.
    public struct Input: Sendable {
        public var prediction: Prediction
        public var manifest: StudyManifest
        public var model: ModelSummary
        /// The report PDF to embed (nil: no ED observation).
        public var pdf: Data?
        /// MSH-10; unique per message (the caller derives it, e.g. from study and time).
        public var controlId: String
        public var time: Date
        public init(prediction: Prediction, manifest: StudyManifest, model: ModelSummary, pdf: Data?, controlId: String, time: Date) {
            self.prediction = prediction; self.manifest = manifest; self.model = model
            self.pdf = pdf; self.controlId = controlId; self.time = time
        }
    }

    /// HL7 DTM with seconds and the UTC offset: "20261201193000+0000".
    public static func dtm(_ d: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMddHHmmss"
        return f.string(from: d) + "+0000"
    }

    /// NM text: plain decimal, no exponent.
    static func nm(_ v: Double, _ digits: Int = 4) -> String {
        var s = String(format: "%.\(digits)f", v)
        if s.hasPrefix("-") && Double(s) == 0 { s.removeFirst() }
        return s
    }

    public static func build(_ input: Input, templates t: ReportTemplates = .standard) throws -> HL7Message {
        typealias V = HL7Message.Value
        let p = input.prediction, m = input.manifest, h = t.site.hl7
        guard p.probability.isFinite, (0...1).contains(p.probability) else {
            throw ReportsError.hl7("probability \(p.probability) for \(p.studyId) is not in [0, 1]")
        }
        let now = dtm(input.time)
        func hd(_ s: String) -> V { .of("HD", texts: [s]) }
        func ts(_ s: String) -> V { .of("TS", texts: [s]) }
        func ce(_ key: String, _ textOverride: String? = nil) -> V {
            let c = t.site.code(key)
            return .of("CE", texts: [c.code, textOverride ?? c.text, h.codingSystem])
        }

        var msh = HL7Message.Segment("MSH")
        msh.set(1, text: "|"); msh.set(2, text: "^~\\&")
        msh.set(3, hd(h.sendingApplication)); msh.set(4, hd(h.sendingFacility))
        msh.set(5, hd(h.receivingApplication)); msh.set(6, hd(h.receivingFacility))
        msh.set(7, ts(now))
        msh.set(9, .of("MSG", texts: ["ORU", "R01", "ORU_R01"]))
        msh.set(10, text: input.controlId)
        msh.set(11, .of("PT", texts: [h.processingId]))
        msh.set(12, .of("VID", texts: ["2.5.1"]))
        msh.set(18, text: "UNICODE UTF-8")

        var pid = HL7Message.Segment("PID")
        pid.set(1, text: "1")
        pid.set(3, .of("CX", [.text(m.patient.id), nil, nil, hd(h.sendingFacility), .text(h.patientIdentifierType)]))
        // DICOM PN Family^Given^Middle^Prefix^Suffix maps onto XPN.1 (FN.1), .2, .3, .5, .4.
        let pn = (m.patient.name ?? "").split(separator: "=", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let parts = pn.split(separator: "^", omittingEmptySubsequences: false).map(String.init) + Array(repeating: "", count: 5)
        if !pn.isEmpty {
            pid.set(5, .of("XPN", [parts[0].isEmpty ? nil : .of("FN", texts: [parts[0]]),
                                   parts[1].isEmpty ? nil : .text(parts[1]), parts[2].isEmpty ? nil : .text(parts[2]),
                                   parts[4].isEmpty ? nil : .text(parts[4]), parts[3].isEmpty ? nil : .text(parts[3])]))
        } else {
            pid.set(5, .of("XPN", [.of("FN", texts: ["UNKNOWN"])]))
        }
        if let b = m.patient.birthDate, !b.isEmpty { pid.set(7, ts(b)) }
        if let s = m.patient.sex, !s.isEmpty { pid.set(8, text: s) }

        var pv1 = HL7Message.Segment("PV1")
        pv1.set(1, text: "1"); pv1.set(2, text: h.patientClass)

        let filler = V.of("EI", texts: [p.studyId, h.sendingApplication])
        let placer: V? = m.study.accessionNumber.map { .of("EI", texts: [$0]) }
        var orc = HL7Message.Segment("ORC")
        orc.set(1, text: "RE")
        if let placer { orc.set(2, placer) }
        orc.set(3, filler); orc.set(5, text: "CM"); orc.set(9, ts(now))

        var obr = HL7Message.Segment("OBR")
        obr.set(1, text: "1")
        if let placer { obr.set(2, placer) }
        obr.set(3, filler); obr.set(4, ce("order"))
        if let d = m.study.date, !d.isEmpty { obr.set(7, ts(d)) }
        obr.set(22, ts(now)); obr.set(25, text: "F")

        let method = V.of("CE", texts: [input.model.modelId, "her2mri nomogram model", h.codingSystem])
        let equipment = V.of("EI", texts: ["sha256:" + input.model.sha256, "her2mri"])
        var observations = [HL7Message.Node]()
        func obx(_ type: String, _ id: V, sub: String? = nil, _ value: V, units: V? = nil, range: String? = nil, flag: String? = nil, notes: [String] = []) {
            var s = HL7Message.Segment("OBX")
            s.set(1, text: String(observations.count + 1))
            s.set(2, text: type); s.set(3, id); s.set(4, text: sub); s.set(5, value)
            if let units { s.set(6, units) }
            s.set(7, text: range); s.set(8, text: flag)
            s.set(11, text: "F"); s.set(14, ts(now)); s.set(17, method); s.set(18, equipment)
            var children: [HL7Message.Node] = [.segment(s)]
            for (i, n) in notes.enumerated() {
                var nte = HL7Message.Segment("NTE")
                nte.set(1, text: String(i + 1)); nte.set(2, text: "L"); nte.set(3, text: n)
                children.append(.segment(nte))
            }
            observations.append(.group("ORU_R01.OBSERVATION", children))
        }
        let unity = V.of("CE", texts: ["1", "probability", "UCUM"])
        let ciText = p.ci95.count == 2 ? "\(nm(p.ci95[0]))-\(nm(p.ci95[1]))" : nil
        obx("NM", ce("probability"), .text(nm(p.probability)), units: unity, range: nil,
            notes: ciText.map { ["95% confidence interval \($0)"] } ?? [])
        if p.ci95.count == 2 {
            obx("NM", ce("probabilityLower"), .text(nm(p.ci95[0])), units: unity)
            obx("NM", ce("probabilityUpper"), .text(nm(p.ci95[1])), units: unity)
        }
        let positive = p.call == .positive
        obx("CWE", ce("call"), .of("CWE", texts: [positive ? "POS" : "NEG", positive ? t.text("callPositive") : t.text("callNegative"), "HL70078"]),
            range: "threshold \(nm(p.threshold))", flag: positive ? "POS" : "NEG", notes: [t.text("pathology")])
        obx("NM", ce("totalPoints"), .text(nm(p.totalPoints, 2)), units: .of("CE", texts: ["{points}", "points", "UCUM"]))
        for (i, f) in p.factors.enumerated() {
            let name = input.model.displayName(f.name)
            obx("NM", ce("factorValue", "\(t.site.code("factorValue").text): \(name)"), sub: String(i + 1), .text(nm(f.value, 6)))
            obx("NM", ce("factorPoints", "\(t.site.code("factorPoints").text): \(name)"), sub: String(i + 1), .text(nm(f.points, 2)),
                units: .of("CE", texts: ["{points}", "points", "UCUM"]))
        }
        if let pdf = input.pdf {
            obx("ED", ce("report"), .of("ED", [hd(h.sendingApplication), .text("AP"), .text("PDF"), .text("Base64"), .text(pdf.base64EncodedString())]))
        }
        let order = HL7Message.Node.group("ORU_R01.ORDER_OBSERVATION", [.segment(orc), .segment(obr)] + observations)
        let patient = HL7Message.Node.group("ORU_R01.PATIENT", [.segment(pid), .group("ORU_R01.VISIT", [.segment(pv1)])])
        return HL7Message(structure: "ORU_R01", nodes: [.segment(msh), .group("ORU_R01.PATIENT_RESULT", [patient, order])])
    }
}
