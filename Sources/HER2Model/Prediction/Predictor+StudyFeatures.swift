import Foundation

extension Predictor {
    /// The prediction for one study's features (prediction.json). Refuses features made with
    /// other backbone weights than the model's.
    public func predict(_ f: StudyFeatures) throws -> Prediction {
        for b in model.backbones where model.radScore.features.contains(where: { $0.name.hasPrefix(b.name + ".") }) {
            guard let have = f.weightsHashes[b.name] else {
                throw HER2ModelError.invalidStudy(path: f.studyId, reason: "no features of backbone \(b.name), which the model uses")
            }
            let normalised = have.hasPrefix("seeded:") || have.hasPrefix("sha256:") ? have : "sha256:" + have
            guard normalised == b.weights else {
                throw HER2ModelError.invalidStudy(path: f.studyId, reason: "features of \(b.name) were made with weights \(normalised), the model with \(b.weights)")
            }
        }
        let row = try FeatureTable.Row(f, reader: 1)
        let index = Dictionary(f.names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let s = try score(studyId: f.studyId, clinical: row.clinicalValues) { index[$0].map { f.reader1[$0] } }
        return Prediction(studyId: f.studyId, patientId: f.manifest.patient.id, probability: s.probability, ci95: s.ci95,
                          call: s.call, threshold: model.threshold.probability, factors: s.factors, totalPoints: s.totalPoints,
                          measures: f.measures, automaticMask: f.automaticMask,
                          seededWeights: f.seededWeights || model.seededWeights, demonstrationModel: model.demonstrationModel)
    }
}
