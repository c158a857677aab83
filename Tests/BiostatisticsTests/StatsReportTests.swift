import Testing
import Support
import Foundation
@testable import Biostatistics

/// The JSON contract of `her2mri stats` (the command only parses arguments and prints these).
@Suite struct StatsReportTests {
    func parse(_ out: StatsReport.Output) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(out.json.serialized().utf8)) as! [String: Any]
    }
    func keys(_ d: Any?) -> Set<String> { Set((d as? [String: Any])?.keys.map { $0 } ?? []) }

    @Test func rocKeysAndValues() throws {
        let j = try parse(try StatsReport.roc(try Fixtures.table("roc.csv"), label: "y", scores: ["s1", "s2"]))
        #expect(keys(j) == ["models", "delongTest"])
        let m = (j["models"] as! [[String: Any]])
        #expect(m.count == 2 && keys(m[0]) == ["score", "auc", "variance", "ci95", "youden"])
        #expect(keys(m[0]["youden"]) == ["threshold", "sensitivity", "specificity"])
        #expect(keys(j["delongTest"]) == ["z", "p"])
        let ref = try Fixtures.json("roc_ref.json")
        #expect(close(m[0].d("auc"), ref.l("models")[0].d("auc"), 1e-9))
        #expect(close(j.o("delongTest").d("p"), ref.l("tests")[0].d("p"), 1e-9))
        let single = try parse(try StatsReport.roc(try Fixtures.table("roc.csv"), label: "y", scores: ["s1"]))
        #expect(keys(single) == ["models"])
    }

    @Test func lassoKeysOmitZerosAndMatchCvGlmnet() throws {
        var s = LassoLogisticSettings(); s.threshold = 1e-20
        let j = try parse(try StatsReport.lasso(try Fixtures.table("lasso_tall.csv"), label: "y", foldColumn: "fold",
                                                folds: 10, seed: 1, lambdas: [0.05], settings: s))
        #expect(keys(j) == ["lambda", "cvm", "cvsd", "lambdaMin", "lambda1se", "coefficients"])
        let c = j.o("coefficients")
        #expect(keys(c) == ["lambdaMin", "lambda1se", "at"])
        let atMin = c.o("lambdaMin")
        #expect(atMin["(Intercept)"] != nil && atMin["fold"] == nil && atMin["y"] == nil)
        #expect(atMin.values.allSatisfy { ($0 as! NSNumber).doubleValue != 0 })
        let at = c["at"] as! [[String: Any]]
        #expect(at.count == 1 && keys(at[0]) == ["lambda", "coefficients"])
        let ref = try Fixtures.json("lasso_tall_ref.json").o("cv")
        #expect(close(j.d("lambdaMin"), ref.d("lambda.min"), 1e-10) && close(j.d("lambda1se"), ref.d("lambda.1se"), 1e-10))
    }

    @Test func iccKeys() throws {
        let j = try parse(try StatsReport.icc(try Fixtures.table("icc.csv"), secondSuffix: "_r2"))
        let f = j["features"] as! [[String: Any]]
        #expect(keys(j) == ["features"] && f.count == 5)
        #expect(keys(f[0]) == ["name", "icc21", "ci21", "icc31", "ci31"])
        #expect(close(f[0].d("icc21"), try Fixtures.json("icc_ref.json").l("features")[0].d("icc21"), 1e-9))
    }

    @Test func logitKeys() throws {
        let j = try parse(try StatsReport.logit(try Fixtures.table("logit.csv"), label: "y", predictors: ["a", "b", "c"]))
        #expect(keys(j) == ["coefficients", "nomogram"])
        let c = j["coefficients"] as! [[String: Any]]
        #expect(c.count == 4 && keys(c[0]) == ["name", "estimate", "se", "z", "p", "oddsRatio", "ci95"])
        #expect(keys(j["nomogram"]) == ["pointsPerUnit", "totalPointsToProbability"])
        #expect(keys(j.o("nomogram")["pointsPerUnit"]) == ["a", "b", "c"])
        let curve = j.o("nomogram")["totalPointsToProbability"] as! [[Double]]
        #expect(curve.allSatisfy { $0.count == 2 } && zip(curve, curve.dropFirst()).allSatisfy { $0[1] < $1[1] })
    }

    @Test func calibrationAndDCAKeys() throws {
        let t = try Fixtures.table("calibration.csv")
        let c = try parse(try StatsReport.calibration(t, label: "y", probability: "p"))
        #expect(keys(c) == ["hosmerLemeshow", "brier", "intercept", "slope", "eavg", "emax", "e90"])
        #expect(keys(c["hosmerLemeshow"]) == ["chi2", "df", "p"])
        let d = try parse(try StatsReport.dca(t, label: "y", probability: "p"))
        #expect(keys(d) == ["thresholds", "netBenefit"] && keys(d["netBenefit"]) == ["model", "all", "none"])
        #expect((d["thresholds"] as! [Double]).count == 99)
    }

    @Test func csvFaultsNameFileLineAndColumn() throws {
        #expect(throws: BiostatisticsError.csv(path: "x.csv", line: 3, reason: "expected 2 cells, found 1")) {
            try DataTable(csv: "a,b\n1,2\n3\n", path: "x.csv") }
        let t = try DataTable(csv: "y,s\n1,0.2\n0,NA\n", path: "x.csv")
        #expect(throws: BiostatisticsError.csv(path: "x.csv", line: 3, reason: "column \"s\": \"NA\" is not a finite number")) {
            try t.numeric("s") }
        #expect(throws: BiostatisticsError.missingColumn(path: "x.csv", name: "q")) { try t.numeric("q") }
        #expect(throws: BiostatisticsError.csv(path: "/no/such.csv", line: 0, reason: "no such file")) {
            try DataTable.read(path: "/no/such.csv") }
        let q = try DataTable(csv: "\"a,b\",c\n\"x \"\"y\"\"\",2\n")
        let cell = try q.text("a,b")
        #expect(q.names == ["a,b", "c"] && cell == ["x \"y\""])
    }

    @Test func nanPrintsAsNull() {
        #expect(JSONValue.object([("a", .number(.nan)), ("b", .numbers([1, 0.5]))]).serialized() == "{\"a\":null,\"b\":[1,0.5]}")
    }
}
