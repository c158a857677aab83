import Foundation

/// The feature table of a cohort folder: every study folder through the whole chain
/// (StudyLoader → Preprocessor → lesion → features), streamed so memory stays bounded.
struct CohortFeatures: Sendable {
    let cohort: URL
    let backbones: [String]
    let weights: BackboneWeights
    let progress: (@Sendable (Int, Int) -> Void)?

    struct Result: Sendable {
        let table: FeatureTable
        let inputHash: String
        let preprocessing: [String: String]
    }

    func extract() throws -> Result {
        throw HER2ModelError.invalidArgument("training from study folders needs the preprocessing and feature stages, which this build lacks; potential fix: train from a feature table with --features table.csv")
    }
}
