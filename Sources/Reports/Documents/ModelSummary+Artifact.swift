import HER2Model

extension ModelSummary {
    /// The summary of a trained model (`model.json`): identity and content hash, training
    /// cohort, validation AUC (or the training AUC when no centre was held out, said so),
    /// seeded weights, demonstration flag, threshold and the combined model's nomogram scales.
    public init(artifact a: ModelArtifact, displayNames: [String: String] = ModelSummary.standardDisplayNames) {
        let t = a.trainedOn
        let pct = t.studies > 0 ? Int((100 * Double(t.positives) / Double(t.studies)).rounded()) : 0
        var cohort = "\(t.studies) studies, \(t.centres.count) centre\(t.centres.count == 1 ? "" : "s") (\(t.centres.joined(separator: ", "))), \(pct) % HER2-positive"
        if let v = t.validationCentre { cohort += "; centre \(v) held out (\(t.validationStudies) studies)" }
        let auc = a.metrics.validation?.models.combined ?? a.metrics.training.models.combined
        if a.metrics.validation == nil { cohort += "; AUC below is on the training studies (no held-out centre)" }
        let n = a.nomogram
        let layout = NomogramLayout(
            axes: n.axes.map { .init(name: $0.name, values: $0.values, points: $0.points, pointsPerUnit: $0.pointsPerUnit, minimumEffect: $0.minimumEffect) },
            scale: n.scale, linearPredictorAtZero: n.linearPredictorAtZero, totalPointsTicks: n.totalPointsTicks,
            probabilityTicks: n.probabilityTicks.map { ($0.probability, $0.points) })
        self.init(modelId: "her2mri model \(a.schemaVersion) created \(a.createdAt)", sha256: a.contentHash, trainingCohort: cohort,
                  validationAUC: auc.auc, validationAUCCI: auc.ci95.count == 2 ? (auc.ci95[0], auc.ci95[1]) : nil,
                  seededWeights: a.seededWeights, demonstration: a.demonstrationModel, threshold: a.threshold.probability,
                  nomogram: layout, displayNames: displayNames)
        trainingFacts = TrainingFacts(studies: t.studies, centres: t.centres, positivePercent: pct, validationCentre: t.validationCentre,
                                      validationStudies: t.validationStudies, aucOnTraining: a.metrics.validation == nil)
    }

    /// Display names of the standard predictors.
    public static let standardDisplayNames = [
        "radScore": "Deep-learning score", "age": "Age (years)", "lymphNodeInvolvement": "Lymph nodes",
        "microcalcifications": "Microcalcifications", "tumourSizeMm": "Tumour size (mm)", "kineticType": "Kinetic type",
        "peritumoralEdema": "Peritumoral oedema",
    ]
}
