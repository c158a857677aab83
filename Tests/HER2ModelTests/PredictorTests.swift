import Foundation
import Testing
@testable import HER2Model

@Suite struct PredictorTests {
    var model: ModelArtifact { TrainerTests.outcome.model }
    let table = TrainerTests.table

    func score(_ r: FeatureTable.Row) throws -> Predictor.Score {
        let index = Dictionary(uniqueKeysWithValues: table.featureNames.enumerated().map { ($1, $0) })
        return try Predictor(model: model).score(studyId: r.studyId, clinical: r.clinicalValues) { index[$0].map { r.features[$0] } }
    }

    /// Nomogram points add up to the total, and the nomogram's total maps to the probability.
    @Test func nomogramPointsSumToTheTotalAndMapToTheProbability() throws {
        for r in table.rows.filter({ $0.reader == 1 }).prefix(40) {
            let s = try score(r)
            #expect(abs(s.factors.map(\.points).reduce(0, +) - s.totalPoints) < 1e-9)
            let lp = model.nomogram.linearPredictorAtZero + s.totalPoints / model.nomogram.scale
            #expect(abs(lp - s.linearPredictor) < 1e-9)
            #expect(abs(1 / (1 + exp(-lp)) - s.probability) < 1e-12)
            #expect(s.factors.map(\.name) == ["radScore"] + ClinicalPredictors.names)
            #expect(s.ci95[0] < s.probability && s.probability < s.ci95[1])
            #expect(s.call == (s.probability >= model.threshold.probability ? .positive : .negative))
        }
    }

    /// Delta method written out independently: Var(η) = Σᵢⱼ xᵢ Σᵢⱼ xⱼ with x = (1, radScore, clinical).
    @Test func intervalIsTheDeltaMethodOnTheLinearPredictor() throws {
        let r = table.rows[0]
        let s = try score(r)
        let x = [1, s.radScore] + r.clinicalValues
        let cov = model.models.combined.covariance
        var v = 0.0
        for i in 0..<x.count { for j in 0..<x.count { v += x[i] * x[j] * cov[i][j] } }
        let lo = s.linearPredictor - 1.959963984540054 * v.squareRoot()
        #expect(abs(s.ci95[0] - 1 / (1 + exp(-lo))) < 1e-12)
    }

    @Test func missingOrBadFeatureNamesTheStudy() throws {
        let r = table.rows[0]
        #expect { try Predictor(model: model).score(studyId: "S9", clinical: r.clinicalValues) { _ in nil } } throws: {
            "\($0)".hasPrefix("S9: the model needs feature fake.")
        }
        var c = r.clinicalValues
        c[5] = .nan
        #expect { try Predictor(model: model).score(studyId: "S9", clinical: c) { _ in 1 } } throws: {
            "\($0)" == "S9: clinical value age is not a finite number"
        }
    }
}
