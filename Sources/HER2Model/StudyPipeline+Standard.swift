import DeepFeatures
import Foundation

extension StudyPipeline {
    /// The chain as `train` and `predict` run it: the standard `Preprocessor` and the feature
    /// stage with these backbones and weights (a weights folder, or seeded weights), and the
    /// radiomics family when `families` lists it. The
    /// preprocessing settings are recorded as their canonical JSON, and are part of the
    /// feature-cache key, so features made with other settings are never reused.
    public static func standard(backbones: [Backbone], weightsDirectory: URL?, cacheDirectory: URL?,
                                threads: Int, preprocessing: PreprocessingSettings = PreprocessingSettings(),
                                families: [FeatureFamily] = [.deep], secondReader: Bool = true) throws -> StudyPipeline {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let parameters = String(decoding: try encoder.encode(preprocessing), as: UTF8.self)
        var s = FeatureExtraction.Settings()
        s.backbones = backbones
        s.weightsDirectory = weightsDirectory
        s.cacheDirectory = cacheDirectory
        s.threads = threads
        s.families = families
        s.secondReader = secondReader
        s.preprocessingParameters = Preprocessor.version + " " + parameters
        let preprocessor = Preprocessor(settings: preprocessing)
        return StudyPipeline(aligner: { try preprocessor.align($0) },
                             preprocessingParameters: ["preprocessor": parameters, "preprocessorVersion": Preprocessor.version],
                             extraction: try FeatureExtraction(settings: s))
    }
}
