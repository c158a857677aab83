import Foundation

/// One study's row(s) of the feature table: the deep features with the given (or automatic)
/// mask and with the second reader's (or a perturbed) mask, the lesion measures, and what the
/// features rest on (automatic mask, seeded weights, weight hashes) — the contract between the
/// feature stage and training / prediction.
///
/// Conventions (stated once): `names`, `reader1` and `reader2` have one order; names read
/// `<backbone>.<channel>.f<index>` (`resnet50.dce_sub.f0123`), channels `t1`, `t2`, `dce_sub`,
/// index four digits from 0; each value is the feature averaged over the patch slices.
public struct StudyFeatures: Sendable, Codable, Equatable {
    /// The study folder's name.
    public let studyId: String
    /// Identifiers, clinical facts, the HER2 label when training.
    public let manifest: StudyManifest
    /// Stable feature names, fixed order.
    public let names: [String]
    /// Features with the given (or automatic) mask.
    public let reader1: [Double]
    /// Features with the second reader's mask, or the seeded perturbed mask (ICC input).
    public let reader2: [Double]
    public let measures: LesionMeasuresSummary
    /// The reader-1 mask was found automatically.
    public let automaticMask: Bool
    /// At least one backbone ran on seeded weights.
    public let seededWeights: Bool
    /// Backbone name → SHA-256 of its weights file, or `seeded:<seed>`.
    public let weightsHashes: [String: String]
    /// Automatic choices and surprises of the lesion and feature stages (automatic mask,
    /// perturbed second mask, no T2 …), for the report.
    public let notes: [String]

    public init(studyId: String, manifest: StudyManifest, names: [String], reader1: [Double], reader2: [Double],
                measures: LesionMeasuresSummary, automaticMask: Bool, seededWeights: Bool,
                weightsHashes: [String: String], notes: [String] = []) {
        precondition(names.count == reader1.count && names.count == reader2.count, "one value per name")
        self.studyId = studyId
        self.manifest = manifest
        self.names = names
        self.reader1 = reader1
        self.reader2 = reader2
        self.measures = measures
        self.automaticMask = automaticMask
        self.seededWeights = seededWeights
        self.weightsHashes = weightsHashes
        self.notes = notes
    }
}

extension StudyFeatures {
    /// These features with more columns appended (another family's, same readers).
    public func appending(names more: [String], reader1 r1: [Double], reader2 r2: [Double]) -> StudyFeatures {
        StudyFeatures(studyId: studyId, manifest: manifest, names: names + more, reader1: reader1 + r1, reader2: reader2 + r2,
                      measures: measures, automaticMask: automaticMask, seededWeights: seededWeights,
                      weightsHashes: weightsHashes, notes: notes)
    }
}
