import Foundation
import Support

/// One study folder through the whole chain: `StudyLoader` → alignment (the `Preprocessor`) →
/// lesion, measures, patches and deep features (`FeatureExtraction`, through its disk cache) →
/// `StudyFeatures`. Train and predict use this one composition, so a study is scored exactly as
/// the training studies were featurised.
public struct StudyPipeline: Sendable {
    /// Study → aligned study (the Preprocessor; a stand-in in tests).
    public typealias Aligner = @Sendable (Study) throws -> AlignedStudy

    public let aligner: Aligner
    /// What the aligner was configured with, recorded in model.json and provenance.json.
    public let preprocessingParameters: [String: String]
    public let extraction: FeatureExtraction

    public init(aligner: @escaping Aligner, preprocessingParameters: [String: String], extraction: FeatureExtraction) {
        self.aligner = aligner
        self.preprocessingParameters = preprocessingParameters
        self.extraction = extraction
    }

    /// One study's features and what it took.
    public struct Result: Sendable {
        public let features: StudyFeatures
        /// The lesion's key slices for the report, when asked for (nil from the cache).
        public var keyImages: KeyImages? = nil
        /// SHA-256 over the study's files (names and bytes).
        public let inputHash: String
        /// Transforms and metrics of the preprocessing (nil when the features came from the cache).
        public let preprocessing: PreprocessingProvenance?
        /// Seconds per stage in order: load, preprocess, lesion, measures, patches, one per
        /// backbone, radiomics (stages that ran).
        public let seconds: [(String, Double)]
        public let fromCache: Bool
    }

    /// Runs the chain on one study folder (the cache answers without loading when it can).
    /// `keyImages`: also cut the lesion's key slices for the report (predict asks; train does
    /// not pay for them).
    public func run(studyFolder: URL, keyImages: Bool = false) throws -> Result {
        let inputHash = try FeatureCache.inputHash(studyFolder: studyFolder)
        if let cached = try extraction.cachedFeatures(studyFolder: studyFolder) {
            return Result(features: cached, inputHash: inputHash, preprocessing: nil, seconds: [], fromCache: true)
        }
        var seconds = [(String, Double)]()
        func timed<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
            let start = DispatchTime.now().uptimeNanoseconds
            defer { seconds.append((name, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)) }
            return try body()
        }
        let study = try timed("load") { try StudyLoader().load(studyFolder) }
        let aligned = try timed("preprocess") { try aligner(study) }
        let (features, stages, mask) = try extraction.extractWithMask(aligned: aligned)
        for name in ["lesion", "measures", "patches"] + extraction.settings.backbones.map(\.rawValue) + ["radiomics"] {
            if let s = stages[name] { seconds.append((name, s)) }
        }
        let earlyPhase = extraction.settings.patches.earlyPhase
        let key = !keyImages ? nil : try mask.map { try KeyImages.make(aligned, mask: $0, earlyPhase: earlyPhase) }
            ?? KeyImages.of(aligned, finder: extraction.settings.finder, earlyPhase: earlyPhase)
        return Result(features: features, keyImages: key, inputHash: inputHash, preprocessing: aligned.provenance, seconds: seconds, fromCache: false)
    }
}
