import Testing
import HER2Model
@testable import SyntheticCohorts

/// The generative story, checked over many patients without rendering images.
@Suite struct SyntheticPatientTests {
    static let people = (0..<20_000).map { SyntheticPatient(index: $0, cohortSeed: 11) }
    var people: [SyntheticPatient] { Self.people }

    @Test func labelsAreDrawnFromTheTrueProbability() {
        let n = Double(people.count)
        let prevalence = Double(people.filter(\.her2Positive).count) / n
        let meanProbability = people.map(\.trueProbability).reduce(0, +) / n
        // A Bernoulli draw from p has mean p: the two agree within sampling error (sd ≈ 0.0033).
        #expect(abs(prevalence - meanProbability) < 0.015)
        #expect(prevalence > 0.25 && prevalence < 0.38)
        let auc = SyntheticCohort.auc(scores: people.map(\.trueProbability), labels: people.map(\.her2Positive))
        #expect(auc > 0.85 && auc < 0.95, "best achievable AUC \(auc)")
    }

    @Test func characteristicsDependOnTheLabelWithOverlap() {
        let pos = people.filter(\.her2Positive), neg = people.filter { !$0.her2Positive }
        func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(xs.count) }
        func share(_ xs: [SyntheticPatient], _ f: (SyntheticPatient) -> Bool) -> Double {
            Double(xs.filter(f).count) / Double(xs.count)
        }
        #expect(mean(pos.map(\.diameterMm)) > mean(neg.map(\.diameterMm)))
        #expect(mean(pos.map(\.heterogeneity)) > mean(neg.map(\.heterogeneity)))
        #expect(mean(pos.map(\.irregularity)) > mean(neg.map(\.irregularity)))
        #expect(share(pos) { $0.kineticType == 3 } > share(neg) { $0.kineticType == 3 })
        #expect(share(pos, \.peritumoralEdema) > share(neg, \.peritumoralEdema))
        #expect(share(pos, \.lymphNodeInvolvement) > share(neg, \.lymphNodeInvolvement))
        #expect(share(pos, \.microcalcifications) > share(neg, \.microcalcifications))
        // Overlap: small negatives and large positives both exist.
        #expect(pos.contains { $0.diameterMm < 15 } && neg.contains { $0.diameterMm > 35 })
    }

    @Test func kineticsReadAsTheDrawnType() {
        for p in people.prefix(500) {
            let phases = 0..<SyntheticPatient.dcePhases
            let curve = KineticCurve(signals: phases.map { 1 + p.tumourEnhancement(minutes: p.phaseMinutes($0)) },
                                     minutes: phases.map { p.phaseMinutes($0) })
            #expect(curve.type == p.kineticType)
            #expect(curve.initialEnhancement > 0.4, "initial enhancement \(curve.initialEnhancement)")
        }
    }

    @Test func patientsAreIndependentOfCohortSizeAndSpreadOverCentres() {
        let again = SyntheticPatient(index: 123, cohortSeed: 11)
        #expect(again.trueProbability == people[123].trueProbability && again.name == people[123].name)
        #expect(Set(people.prefix(8).map(\.centre.name)) == ["A", "B", "C", "D"])
        #expect(SyntheticPatient(index: 123, cohortSeed: 12).trueProbability != again.trueProbability)
    }
}

@Test func kineticCurveReadsTheThreeTypes() {
    let minutes = [0.0, 1, 2, 3, 4, 5]
    #expect(KineticCurve(signals: [100, 180, 200, 215, 225, 240], minutes: minutes).type == 1)
    #expect(KineticCurve(signals: [100, 180, 200, 202, 199, 205], minutes: minutes).type == 2)
    #expect(KineticCurve(signals: [100, 190, 200, 185, 175, 170], minutes: minutes).type == 3)
    let c = KineticCurve(signals: [100, 190, 200, 185, 175, 170], minutes: minutes)
    #expect(c.initialPhase == 2 && abs(c.initialEnhancement - 1.0) < 1e-12 && abs(c.delayedChange + 0.15) < 1e-12)
}
