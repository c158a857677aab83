import DeepFeatures
import Foundation

extension StudyPipeline {
    /// The chain as `train` and `predict` run it: the standard Preprocessor and the feature
    /// stage with these backbones and weights (a weights folder, or seeded weights).
    public static func standard(backbones: [Backbone], weightsDirectory: URL?, cacheDirectory: URL?,
                                threads: Int) throws -> StudyPipeline {
        throw HER2ModelError.invalidArgument("running study folders needs the Preprocessor, which this build lacks; potential fix: train from a feature table with --features table.csv")
    }
}
