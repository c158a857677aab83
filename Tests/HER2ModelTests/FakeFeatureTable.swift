import Foundation
import Support
@testable import HER2Model

/// TEST ONLY: a feature table with FAKE "deep" columns. Real deep features come from the
/// backbones; these are made from a hidden latent factor of each patient's true HER2 logit plus
/// noise, so that training has something to find. Columns `fake.informative.fN` carry the
/// latent signal; `fake.noise.fN` carry none; `fake.unstable.fN` are informative for reader 1
/// but re-measured with large noise by reader 2 (low ICC: the filter must drop them).
enum FakeFeatureTable {
    static func make(studies n: Int, seed: UInt64, informative: Int = 3, noise: Int = 12, unstable: Int = 3) throws -> FeatureTable {
        var rng = SplitMix64(seed: seed)
        let names = (0..<informative).map { "fake.informative.f\($0)" } + (0..<noise).map { "fake.noise.f\($0)" }
            + (0..<unstable).map { "fake.unstable.f\($0)" }
        var rows = [FeatureTable.Row]()
        for i in 0..<n {
            let size = 10 + 40 * rng.unit()
            let kinetic = 1 + rng.nextIndex(3)
            let oedema = rng.unit() < 0.35, node = rng.unit() < 0.4, micro = rng.unit() < 0.3
            let age = (30 + 50 * rng.unit()).rounded()
            let latent = rng.normal()
            let logit = -1 + 0.04 * (size - 25) + 0.5 * Double(kinetic - 2) + 0.8 * (oedema ? 1 : 0) + 1.5 * latent
            let her2 = rng.unit() < 1 / (1 + exp(-logit))
            var f1 = [Double](), f2 = [Double]()
            for _ in 0..<informative {
                let v = latent + 0.5 * rng.normal()
                f1.append(v); f2.append(v + 0.05 * rng.normal())
            }
            for _ in 0..<noise {
                let v = rng.normal() * 3 + 10
                f1.append(v); f2.append(v + 0.05 * rng.normal())
            }
            for _ in 0..<unstable {
                let v = latent + 0.3 * rng.normal()
                f1.append(v); f2.append(rng.normal() * 2)
            }
            let centre = ["A", "B", "C", "D"][i % 4]
            for (reader, f) in [(1, f1), (2, f2)] {
                rows.append(.init(studyId: String(format: "S%04d", i), reader: reader, her2: her2, centre: centre, age: age,
                                  lymphNodeInvolvement: node, microcalcifications: micro, tumourSizeMm: size,
                                  kineticType: kinetic, peritumoralEdema: oedema, features: f))
            }
        }
        return try FeatureTable(featureNames: names, rows: rows)
    }

    static let context = TrainingContext(
        backbones: [.init(name: "fake", weights: "seeded:7")], preprocessing: ["normalisation": "zscore"],
        featureSource: "featureTable", inputHash: "sha256:test", demonstrationModel: true, createdAt: "2026-01-01T00:00:00Z")
}
