import Foundation
import Testing

/// `her2mri stats` as a biostatistician runs it: the built binary on a CSV, its JSON compared with
/// R's answers for the same data (fixtures/biostatistics, made by tools/biostat/make_fixtures.R).
@Suite struct StatsCommandTests {
    static let fixtures = Binary.repository.appendingPathComponent("fixtures/biostatistics")

    static func json(_ run: Binary.Run) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stderr)")
    }

    static func reference(_ name: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent(name))) as? [String: Any])
    }

    static func close(_ a: Any?, _ b: Any?, _ tolerance: Double = 1e-6) -> Bool {
        guard let x = a as? Double, let y = b as? Double else { return false }
        return abs(x - y) <= tolerance * max(1, abs(y))
    }

    @Test func rocWithTwoScoresMatchesPROC() throws {
        let run = try Binary.run(["stats", "roc", Self.fixtures.appendingPathComponent("roc.csv").path,
                                  "--label", "y", "--score", "s1", "--score", "s2"])
        #expect(run.status == 0)
        let out = try Self.json(run), ref = try Self.reference("roc_ref.json")
        let models = try #require(out["models"] as? [[String: Any]])
        let refModels = try #require(ref["models"] as? [[String: Any]])
        #expect(Set(models[0].keys) == ["score", "auc", "variance", "ci95", "youden"])
        for (m, r) in zip(models, refModels.prefix(2)) {
            #expect(m["score"] as? String == r["score"] as? String)
            #expect(Self.close(m["auc"], r["auc"]) && Self.close(m["variance"], r["variance"]))
            let ci = m["ci95"] as? [Double] ?? [], rci = r["ci95"] as? [Double] ?? []
            #expect(ci.count == 2 && Self.close(ci[0], rci[0]) && Self.close(ci[1], rci[1]))
        }
        let test = try #require(out["delongTest"] as? [String: Any])
        let refTest = try #require((ref["tests"] as? [[String: Any]])?.first)
        #expect(Self.close(test["z"], refTest["z"]) && Self.close(test["p"], refTest["p"]))
    }

    @Test func logitMatchesGLM() throws {
        let run = try Binary.run(["stats", "logit", Self.fixtures.appendingPathComponent("logit.csv").path,
                                  "--label", "y", "--predictors", "a,b,c"])
        #expect(run.status == 0)
        let out = try Self.json(run), ref = try Self.reference("logit_ref.json")
        let coefficients = try #require(out["coefficients"] as? [[String: Any]])
        let refCoefficients = try #require(ref["coefficients"] as? [[String: Any]])
        #expect(coefficients.count == refCoefficients.count)
        for (c, r) in zip(coefficients, refCoefficients) {
            #expect(c["name"] as? String == r["name"] as? String)
            for key in ["estimate", "se", "z", "p", "oddsRatio"] { #expect(Self.close(c[key], r[key]), "\(key) of \(r["name"] ?? "")") }
        }
        #expect(out["nomogram"] is [String: Any])
    }

    @Test func badInputIsAClearErrorWithExitCode1() throws {
        let missing = try Binary.run(["stats", "roc", Self.fixtures.appendingPathComponent("roc.csv").path, "--label", "y", "--score", "nope"])
        #expect(missing.status == 1 && missing.stderr.contains("nope"))
        let noFile = try Binary.run(["stats", "dca", "/nonexistent.csv", "--label", "y", "--prob", "p"])
        #expect(noFile.status == 1 && noFile.stderr.contains("/nonexistent.csv"))
    }
}
