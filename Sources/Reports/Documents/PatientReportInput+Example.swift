import Foundation
import Biostatistics
import HER2Model
import LinearAlgebra
import Support

extension PatientReportInput {
    /// A complete, made-up report input (a demonstration model with a seven-predictor nomogram,
    /// a synthetic lesion slice on the DCE subtraction and T2): for the benchmark, the tests and
    /// anyone who wants to see a report without training a model. `patientName` lets tests
    /// push awkward characters through.
    public static func example(patientName: String = "Doe^Jane", seed: UInt64 = 7, templates: ReportTemplates = .standard) throws -> PatientReportInput {
        let names = ["radScore", "age", "lymphNodeInvolvement", "microcalcifications", "tumourSizeMm", "kineticType", "peritumoralEdema"]
        let beta = [0.62, -0.035, 0.55, 0.38, 0.035, 0.32, 0.29]
        var rng = SplitMix64(seed: seed)
        let n = 200
        var data = Matrix(rows: n, columns: names.count)
        for i in 0..<n {
            data[i, 0] = rng.uniform(-2.6, 2.9)
            data[i, 1] = (rng.uniform(28, 81)).rounded()
            data[i, 2] = (rng.unit() < 0.35) ? 1 : 0
            data[i, 3] = (rng.unit() < 0.45) ? 1 : 0
            data[i, 4] = rng.uniform(8, 62).rounded()
            data[i, 5] = Double(1 + rng.nextIndex(3))
            data[i, 6] = (rng.unit() < 0.3) ? 1 : 0
        }
        let nomogram = try Nomogram(intercept: -1.9, coefficients: beta, names: names, data: data)
        let values = [1.12, 47, 1, 0, 28, 3, 1]
        let points = nomogram.points(for: values)
        let total = points.reduce(0, +)
        let probability = nomogram.probability(totalPoints: total)
        let lp = nomogram.linearPredictor(totalPoints: total)
        let ci = [lp - 1.96 * 0.42, lp + 1.96 * 0.42].map { 1 / (1 + exp(-$0)) }
        let measures = LesionMeasuresSummary(diameterMm: 28.4, volumeMm3: 6_850, initialEnhancement: 1.12, delayedChange: -0.14,
                                             kineticType: 3, kineticSignals: [210, 395, 446, 431, 412, 384], phaseMinutes: [0, 1.5, 3, 4.5, 6, 7.5],
                                             edemaRatio: 1.34, peritumoralEdema: true, overridden: [])
        let prediction = Prediction(studyId: "STUDY-0007", patientId: "PID-0007", probability: probability, ci95: ci,
                                    call: probability >= 0.5 ? .positive : .negative, threshold: 0.5,
                                    factors: zip(names, zip(values, points)).map { .init(name: $0, value: $1.0, points: $1.1) },
                                    totalPoints: total, measures: measures, automaticMask: true, seededWeights: true, demonstrationModel: true)
        // StudyManifest has no public memberwise init: build it the way study.json arrives.
        let manifestJSON: [String: Any] = [
            "patient": ["id": "PID-0007", "name": patientName, "birthDate": "19780412", "sex": "F"],
            "study": ["accessionNumber": "ACC-2026-0007", "date": "20261130", "centre": "Centre A"],
            "clinical": ["age": 47, "lymphNodeInvolvement": true, "microcalcifications": false],
        ]
        let manifest = try JSONDecoder().decode(StudyManifest.self, from: JSONSerialization.data(withJSONObject: manifestJSON))
        var model = ModelSummary(modelId: "her2mri-nomogram demo-1", sha256: String(repeating: "ab12", count: 16),
                                 trainingCohort: "400 synthetic studies, 4 centres, 38 % HER2-positive",
                                 validationAUC: 0.874, validationAUCCI: (0.829, 0.919), seededWeights: true, demonstration: true,
                                 threshold: 0.5, nomogram: NomogramLayout(nomogram),
                                 displayNames: ["radScore": "Deep-learning score", "age": "Age (years)", "lymphNodeInvolvement": "Lymph nodes",
                                                "microcalcifications": "Microcalcifications", "tumourSizeMm": "Tumour size (mm)",
                                                "kineticType": "Kinetic type", "peritumoralEdema": "Peritumoral oedema"])
        model.trainingFacts = .init(studies: 400, centres: ["A", "B", "C", "D"], positivePercent: 38, validationCentre: "D",
                                    validationStudies: 96, aucOnTraining: false)
        let sub = exampleSlice(bright: true, seed: seed), t2 = exampleSlice(bright: false, seed: seed + 1)
        let slices = KeyImages(slice: 40, width: 128, height: 128, subtraction: sub.pixels, t2: t2.pixels, mask: sub.mask,
                               columnSpacingMm: 0.7, rowSpacingMm: 0.7, columnDirection: SIMD3(1, 0, 0), rowDirection: SIMD3(0, 1, 0),
                               earlyPhase: 2)
        return PatientReportInput(prediction: prediction, manifest: manifest, model: model,
                                  keyImages: KeyImage.pair(slices, templates: templates),
                                  reportTime: Date(timeIntervalSince1970: 1_796_200_000), softwareVersion: "her2mri (example)")
    }

    /// A 128 × 128 synthetic breast slice with an enhancing lesion and its mask.
    static func exampleSlice(bright: Bool, seed: UInt64) -> (pixels: [Float], mask: [UInt8]) {
        let w = 128, h = 128
        var rng = SplitMix64(seed: seed)
        var pixels = [Float](repeating: 0, count: w * h), mask = [UInt8](repeating: 0, count: w * h)
        for r in 0..<h {
            for c in 0..<w {
                let x = Double(c) / Double(w) - 0.5, y = Double(r) / Double(h) - 0.62
                let breast = (x * x / 0.22 + y * y / 0.16) < 1 && y < 0.28 ? 1.0 : 0.0
                let lx = Double(c) - 74, ly = Double(r) - 58
                let inLesion = lx * lx / 110 + ly * ly / 70 < 1
                var v = breast * (bright ? 0.12 : 0.45) + rng.uniform(0, 0.06)
                if inLesion { v += bright ? 0.8 : 0.25; mask[r * w + c] = 1 }
                pixels[r * w + c] = Float(v)
            }
        }
        return (pixels, mask)
    }
}
