import DeepFeatures
import Foundation

/// A weight source with some tensors changed, to build deliberately wrong networks for the
/// mutation tests: a dropped bias (zeros), batch norm without its running statistics
/// (mean 0, variance 1, i.e. the statistics of a freshly initialised layer).
final class MutatedWeights: WeightSource {
    let base: WeightSource
    let overrides: [String: ([Float]) -> [Float]]

    init(_ base: WeightSource, _ overrides: [String: ([Float]) -> [Float]]) {
        self.base = base
        self.overrides = overrides
    }

    /// `name` read as zeros.
    static func dropped(_ base: WeightSource, _ names: String...) -> MutatedWeights {
        MutatedWeights(base, Dictionary(uniqueKeysWithValues: names.map { ($0, { $0.map { _ in Float(0) } }) }))
    }

    /// The batch norms `prefixes` with running mean 0 and running variance 1.
    static func withoutRunningStatistics(_ base: WeightSource, _ prefixes: String...) -> MutatedWeights {
        var o: [String: ([Float]) -> [Float]] = [:]
        for p in prefixes {
            o["\(p).running_mean"] = { $0.map { _ in 0 } }
            o["\(p).running_var"] = { $0.map { _ in 1 } }
        }
        return MutatedWeights(base, o)
    }

    func tensor(_ name: String, shape: [Int]) throws -> [Float] {
        let t = try base.tensor(name, shape: shape)
        guard let change = overrides[name] else { return t }
        precondition(t.contains { $0 != 0 } || name.hasSuffix("running_mean"), "mutating \(name), which is already zero")
        return change(t)
    }

    func contains(_ name: String) -> Bool { base.contains(name) }

    var identity: String { "mutated(\(base.identity))" }
}
