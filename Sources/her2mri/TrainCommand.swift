import ArgumentParser
import DeepFeatures
import Foundation
import Support
import HER2Model

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the HER2 model (ICC filter → LASSO rad-score → clinical/deep/combined logistic models → nomogram) and write model.json.",
        discussion: """
        From study folders (--cohort: each study through preprocessing, lesion and deep features) \
        or from a ready feature table (--features). Writes model.json and, beside it, \
        training_summary.json (AUCs with DeLong intervals on the training and validation studies). \
        Also writes predictions_training.csv and predictions_validation.csv (every model's \
        probability per study, for cohort-report --predictions). --feature-families deep,radiomics \
        adds handcrafted radiomics of T1, T2 and the DCE subtraction (pyradiomics' features) and a \
        separate "radiomics" model beside clinical, deep and combined, compared with deep by DeLong. \
        Without --weights-dir the backbones run on seeded weights and the model says so. Set \
        SOURCE_DATE_EPOCH for a byte-identical model.json (the creation time is not part of its hash).
        """
    )

    @Option(help: "Cohort folder of study folders.")
    var cohort: String?

    @Option(help: "labels.csv (studyId,her2,centre) applied over the studies' own labels.")
    var labels: String?

    @Option(help: "Output model.json (training_summary.json is written beside it).")
    var out: String

    @Option(name: .customLong("validate-on-centre"), help: "Hold out the studies of this centre (as written in labels.csv / study.json) for validation.")
    var validateOnCentre: String?

    @Option(help: "Folds of the LASSO cross-validation.")
    var folds: Int = 10

    @Option(help: "Seed of the fold assignment.")
    var seed: UInt64 = 1

    @Option(help: "Keep deep features with ICC(2,1) at least this.")
    var iccThreshold: Double = 0.9

    @Option(help: "λ of the rad-score: 1se (default) or min.")
    var lambda: String = "1se"

    @Option(help: "Comma-separated backbones (default: all four for a cohort, every column of a table).")
    var backbones: BackboneList?

    @Option(help: "Folder of <backbone>.safetensors from tools/save_pretrained_weights.py (default: seeded weights).")
    var weightsDir: String?

    @Option(help: "Train from this feature table (CSV) instead of study folders.")
    var features: String?

    @Option(name: .customLong("feature-families"), help: "deep (default), or deep,radiomics to add the handcrafted-radiomics model.")
    var featureFamilies: FeatureFamilyList = FeatureFamilyList(families: [.deep])

    func validate() throws {
        guard (cohort == nil) != (features == nil) else { throw ValidationError("give exactly one of --cohort DIR and --features table.csv") }
        guard folds >= 3 else { throw ValidationError("--folds must be at least 3") }
        guard iccThreshold > -1 && iccThreshold <= 1 else { throw ValidationError("--icc-threshold must lie in (-1, 1]") }
        guard TrainingSettings.LambdaRule(rawValue: lambda) != nil else { throw ValidationError("--lambda must be 1se or min") }
        for path in [cohort, labels, features, weightsDir].compactMap({ $0 }) where !FileManager.default.fileExists(atPath: path) {
            throw ValidationError("\(path): no such file or folder")
        }
    }

    func run() throws {
        AllocatorPolicy.keepFreedBuffers()
        var settings = TrainingSettings()
        settings.folds = folds
        settings.seed = seed
        settings.iccThreshold = iccThreshold
        settings.lambdaRule = TrainingSettings.LambdaRule(rawValue: lambda)!
        settings.validationCentre = validateOnCentre
        var job = TrainingJob(cohort: cohort.map { URL(fileURLWithPath: $0) }, labels: labels.map { URL(fileURLWithPath: $0) },
                              featureTable: features.map { URL(fileURLWithPath: $0) }, output: URL(fileURLWithPath: out),
                              settings: settings, backbones: backbones?.backbones.map(\.rawValue),
                              weights: BackboneWeights(directory: weightsDir.map { URL(fileURLWithPath: $0, isDirectory: true) }),
                              progress: ProgressBar.studies())
        job.families = featureFamilies.families
        let report = try runReportingErrors { try job.run() }
        ProgressBar.finish()
        print(report.text)
    }
}

/// `--feature-families deep` or `deep,radiomics` (deep is required: the combined model rests on it).
struct FeatureFamilyList: ExpressibleByArgument, Sendable {
    let families: [FeatureFamily]

    init(families: [FeatureFamily]) { self.families = families }

    init?(argument: String) {
        var list: [FeatureFamily] = []
        for name in argument.split(separator: ",") {
            guard let f = FeatureFamily(rawValue: String(name)), !list.contains(f) else { return nil }
            list.append(f)
        }
        guard list.contains(.deep) else { return nil }
        families = list
    }

    static var allValueStrings: [String] { ["deep", "deep,radiomics"] }
    var defaultValueDescription: String { families.map(\.rawValue).joined(separator: ",") }
}
