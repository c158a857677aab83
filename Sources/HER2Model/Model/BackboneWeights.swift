import DeepFeatures
import Foundation
import Support

/// Where each backbone's weights come from, and their identity as model.json records it: a
/// folder of safetensors files saved by `tools/save_pretrained_weights.py`
/// (`<folder>/<backbone>.safetensors`, e.g. `resnet50.safetensors`, identity
/// `sha256:<hex of the file>`), or, without a folder, DeepFeatures' deterministic seeded
/// weights (identity `seeded:<seed>`), which carry no learned meaning and are said to be so.
public struct BackboneWeights: Sendable, Equatable {
    /// The weights folder; nil for seeded weights.
    public let directory: URL?
    /// Seed of the seeded weights.
    public let seed: UInt64

    public init(directory: URL?, seed: UInt64 = FeatureExtractor.defaultSeed) {
        self.directory = directory
        self.seed = seed
    }

    /// The safetensors file for `backbone`, or nil for seeded weights; a missing file in a given
    /// folder is an error with the fix.
    public func file(for backbone: String) throws -> URL? {
        guard let directory else { return nil }
        let url = directory.appendingPathComponent("\(backbone).safetensors")
        guard FileManager.default.isReadableFile(atPath: url.path) else {
            throw HER2ModelError.invalidArgument("\(url.path): no weights for \(backbone) in --weights-dir; potential fix: run tools/save_pretrained_weights.py --out \(directory.path) on a machine with internet access")
        }
        return url
    }

    /// `sha256:<hex>` of the backbone's file, or `seeded:<seed>`.
    public func identity(for backbone: String) throws -> String {
        guard let url = try file(for: backbone) else { return "seeded:\(seed)" }
        guard let data = try? Data(contentsOf: url, options: .alwaysMapped) else {
            throw HER2ModelError.invalidArgument("\(url.path): cannot read the weights file")
        }
        return "sha256:" + data.withUnsafeBytes { SHA256.hex($0) }
    }
}

extension ModelArtifact {
    /// The backbones whose features the rad-score uses (the others need not run).
    public var usedBackbones: [BackboneRecord] {
        backbones.filter { b in radScore.features.contains { $0.name.hasPrefix(b.name + ".") } }
    }

    /// Refuses a chain whose preprocessing differs from the one the model was trained with (its
    /// `preprocessing` record: settings and version), before any study is read: features of
    /// differently aligned or normalised images would be scored by coefficients fitted to others.
    /// A model trained from a feature table records none and is not checked.
    public func checkPreprocessing(of chain: StudyPipeline, path: String) throws {
        guard !preprocessing.isEmpty, preprocessing != chain.preprocessingParameters else { return }
        let keys = Set(preprocessing.keys).union(chain.preprocessingParameters.keys).sorted()
            .filter { preprocessing[$0] != chain.preprocessingParameters[$0] }
        func shown(_ value: String?) -> String { value.map { $0.count > 80 ? String($0.prefix(77)) + "…" : $0 } ?? "(none)" }
        let differences = keys.map { "\($0): model \(shown(preprocessing[$0])), this her2mri \(shown(chain.preprocessingParameters[$0]))" }
        throw HER2ModelError.invalidModel(path: path, reason: "it was trained with other preprocessing than this her2mri runs ("
            + differences.joined(separator: "; ") + "); potential fix: train the model again with this version")
    }

    /// Refuses weights other than those the model was trained with, for the backbones the
    /// rad-score uses (before any study is read).
    public func checkWeights(_ weights: BackboneWeights, path: String) throws {
        for b in usedBackbones {
            guard Backbone(rawValue: b.name) != nil else {
                throw HER2ModelError.invalidModel(path: path, reason: "its features come from \"\(b.name)\", which is not a backbone her2mri can run (\(Backbone.allCases.map(\.rawValue).joined(separator: ", "))); it can score feature tables only")
            }
            let have = try weights.identity(for: b.name)
            guard have == b.weights else {
                let fix = b.isSeeded ? "run without --weights-dir (the model uses seeded weights)" : "give the --weights-dir the model was trained with"
                throw HER2ModelError.invalidModel(path: path, reason: "backbone \(b.name) was trained with weights \(b.weights), these are \(have); potential fix: \(fix)")
            }
        }
    }
}
