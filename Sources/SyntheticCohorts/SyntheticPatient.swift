import Foundation
import Support
import HER2Model
import Volumes

/// One synthetic patient's hidden truth: clinical facts, tumour and acquisition parameters, and
/// the probability of HER2 positivity from which the label was drawn.
///
/// Generative story (stated once): tumour and clinical characteristics are drawn first, from
/// population distributions; the true probability is a logistic function of them
/// (`trueProbability`); the label is one Bernoulli draw from it. So every characteristic depends
/// on the label with realistic overlap, and the AUC of `trueProbability` is the best any model can
/// reach on the cohort. Directions follow the breast-MRI literature on HER2-positive tumours:
/// larger, more irregular and heterogeneous, more often washout kinetics, peritumoral oedema,
/// nodal involvement and microcalcifications. Coefficients give ≈ 31 % prevalence and a best AUC
/// near 0.90 (checked by simulating 100 000 patients).
public struct SyntheticPatient: Sendable {
    public let index: Int
    public let studyId: String
    public let centre: CentreProfile
    public let centreIndex: Int

    public let ageYears: Int
    public let sex = "F"
    public let name: String
    public let birthDate: String
    public let studyDate: String

    /// Longest diameter the tumour is built with (mm).
    public let diameterMm: Double
    /// Shape irregularity in [0, 1] (lobulation amplitude and spiculation).
    public let irregularity: Double
    /// Texture heterogeneity in [0, 1] (enhancement texture, necrotic core).
    public let heterogeneity: Double
    /// Kinetic curve type: 1 persistent, 2 plateau, 3 washout.
    public let kineticType: Int
    public let peritumoralEdema: Bool
    public let lymphNodeInvolvement: Bool
    public let microcalcifications: Bool

    public let trueProbability: Double
    public let her2Positive: Bool

    /// Tumour kinetics: peak relative enhancement, wash-in rate (1/min), late slope (1/min).
    public let enhancementAmplitude: Double
    public let washInRate: Double
    public let lateRate: Double

    /// Geometry and motion: breast semi-axes (mm), tumour centre (world, mm), density threshold.
    public let breastSemiAxes: SIMD3<Double>
    public let tumourCentre: SIMD3<Double>
    public let fibroglandularDensity: Double
    /// Rigid motion of the patient at each DCE phase relative to phase 0 (phase 0 = identity).
    public let dceMotion: [RigidTransform]
    /// Rigid offset of the anatomy on T2 and on T1 relative to DCE phase 0.
    public let t2Offset: RigidTransform
    public let t1Offset: RigidTransform
    /// Patient-level intensity factor (coil loading) and the bias-field seed.
    public let intensityFactor: Double
    public let seed: UInt64

    /// Number of DCE phases: one pre-contrast and five post-contrast.
    public static let dcePhases = 6

    /// Draws patient `index` of the cohort seeded with `cohortSeed`. Independent of other patients.
    public init(index: Int, cohortSeed: UInt64) {
        var g = SplitMix64(seed: cohortSeed, stream: UInt64(index))
        self.index = index
        self.seed = g.next()
        studyId = String(format: "SYN%04d", index + 1)
        centreIndex = index % CentreProfile.all.count
        centre = CentreProfile.all[centreIndex]

        // Clinical and tumour characteristics.
        let zAge = g.normal()
        ageYears = Int((55 + 11 * zAge).rounded()).clamped(to: 28...86)
        let zSize = g.normal()
        diameterMm = (22 * exp(0.38 * zSize)).clamped(to: 8...55)
        irregularity = g.unit()
        heterogeneity = g.unit()
        let w = g.normal()
        kineticType = w > 0.5 ? 3 : (w < -0.5 ? 1 : 2)
        peritumoralEdema = g.bernoulli(0.35)
        lymphNodeInvolvement = g.bernoulli(0.40)
        microcalcifications = g.bernoulli(0.45)

        // The true model (see the type's documentation).
        let lp = -1.5
            + 1.12 * zSize + 3.64 * (irregularity - 0.5) + 4.2 * (heterogeneity - 0.5)
            + 1.4 * ((kineticType == 3 ? 1 : 0) - 0.31) - 0.7 * ((kineticType == 1 ? 1 : 0) - 0.31)
            + 1.68 * ((peritumoralEdema ? 1 : 0) - 0.35) + 1.12 * ((lymphNodeInvolvement ? 1 : 0) - 0.40)
            + 1.26 * ((microcalcifications ? 1 : 0) - 0.45) - 0.42 * zAge
        trueProbability = 1 / (1 + exp(-lp))
        her2Positive = g.unit() < trueProbability

        // Kinetics chosen so the radiologist's rule (delayed vs 2-minute signal, ±10 %) gives the type.
        // Washout tumours enhance strongly and early; persistent ones more slowly (Kuhl 1999).
        switch kineticType {
        case 1: enhancementAmplitude = g.uniform(0.7, 1.3)
        case 2: enhancementAmplitude = g.uniform(0.9, 1.6)
        default: enhancementAmplitude = g.uniform(1.3, 2.1)
        }
        washInRate = g.uniform(1.6, 2.6)
        let targetChange: Double
        let interval = centre.phaseInterval
        switch kineticType {
        case 1: targetChange = g.uniform(0.14, 0.30)
        case 2: targetChange = g.uniform(-0.05, 0.05)
        default: targetChange = g.uniform(-0.28, -0.14)
        }
        lateRate = SyntheticPatient.lateRate(
            giving: targetChange, amplitude: enhancementAmplitude, washIn: washInRate,
            minutes: (0..<SyntheticPatient.dcePhases).map { Double($0) * interval / 60 })

        breastSemiAxes = SIMD3(g.uniform(52, 66), g.uniform(50, 70), g.uniform(48, 60))
        // Tumour inside the breast, away from skin and chest wall.
        let depth = breastSemiAxes.y
        let r = diameterMm / 2
        let maxX = max(0, 0.55 * breastSemiAxes.x - r), maxZ = max(0, min(0.55 * breastSemiAxes.z, 24) - r)
        let yPosterior = BreastAnatomy.chestWallY - r - 8
        let yAnterior = BreastAnatomy.chestWallY - 0.75 * depth + r
        tumourCentre = SIMD3(g.uniform(-maxX, maxX + 1e-9),
                             g.uniform(min(yAnterior, yPosterior), max(yAnterior, yPosterior) + 1e-9),
                             g.uniform(-maxZ, maxZ + 1e-9))
        fibroglandularDensity = g.uniform(0.15, 0.6)

        var motion: [RigidTransform] = [.identity]
        var current = SIMD3<Double>.zero, rot = SIMD3<Double>.zero
        for _ in 1..<SyntheticPatient.dcePhases {
            current += SIMD3(g.normal(), g.normal(), g.normal()) * 0.6
            rot += SIMD3(g.normal(), g.normal(), g.normal()) * 0.3
            motion.append(RigidTransform(rotationDegrees: rot, translation: current))
        }
        dceMotion = motion
        t2Offset = RigidTransform(
            rotationDegrees: SIMD3(g.uniform(-3, 3), g.uniform(-3, 3), g.uniform(-3, 3)),
            translation: SIMD3(g.uniform(-5, 5), g.uniform(-5, 5), g.uniform(-5, 5)))
        t1Offset = RigidTransform(
            rotationDegrees: SIMD3(g.uniform(-1, 1), g.uniform(-1, 1), g.uniform(-1, 1)),
            translation: SIMD3(g.uniform(-2, 2), g.uniform(-2, 2), g.uniform(-2, 2)))
        intensityFactor = g.uniform(0.85, 1.15)

        let families = ["Moreau", "Schmidt", "Rossi", "Novak", "Garcia", "Okafor", "Lindqvist", "Tanaka",
                        "Kowalska", "Haddad", "Petrova", "Byrne", "Silva", "Jensen", "Dubois", "Weber"]
        let givens = ["Claire", "Anna", "Giulia", "Eva", "Lucia", "Ngozi", "Ingrid", "Yuki",
                      "Marta", "Leila", "Olga", "Siobhan", "Ana", "Mette", "Sophie", "Hanna"]
        name = "\(families[g.int(in: 0...15)])^\(givens[g.int(in: 0...15)])"
        let studyDay = g.int(in: 0...729)
        studyDate = SyntheticPatient.date(daysAfter2024: studyDay)
        birthDate = SyntheticPatient.date(daysAfter2024: studyDay - ageYears * 365 - g.int(in: 0...364))
    }

    /// Tumour relative enhancement at `minutes` after contrast arrival (0 before):
    /// E(t) = A (1 − e^(−k_in t)) e^(−k_late t).
    public func tumourEnhancement(minutes t: Double) -> Double {
        guard t > 0 else { return 0 }
        return enhancementAmplitude * (1 - exp(-washInRate * t)) * exp(-lateRate * t)
    }

    /// The late rate whose curve, read by `KineticCurve`, shows `change` between the initial and the
    /// delayed signal (bisection; the change falls monotonically as the rate grows).
    static func lateRate(giving change: Double, amplitude: Double, washIn: Double, minutes: [Double]) -> Double {
        func delayedChange(_ rate: Double) -> Double {
            let signals = minutes.map { t in 1 + (t > 0 ? amplitude * (1 - exp(-washIn * t)) * exp(-rate * t) : 0) }
            return KineticCurve(signals: signals, minutes: minutes).delayedChange
        }
        var lo = -1.0, hi = 1.0
        for _ in 0..<80 {
            let mid = (lo + hi) / 2
            if delayedChange(mid) > change { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }

    /// Minutes after contrast of DCE phase `p` (phase 0 is pre-contrast).
    public func phaseMinutes(_ p: Int) -> Double { Double(p) * centre.phaseInterval / 60 }

    /// YYYYMMDD for a day counted from 2024-01-01 (negative days go back in time).
    static func date(daysAfter2024 days: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let start = calendar.date(from: DateComponents(year: 2024, month: 1, day: 1))!
        let d = calendar.date(byAdding: .day, value: days, to: start)!
        let c = calendar.dateComponents([.year, .month, .day], from: d)
        return String(format: "%04d%02d%02d", c.year!, c.month!, c.day!)
    }
}

extension Comparable {
    func clamped(to r: ClosedRange<Self>) -> Self { min(max(self, r.lowerBound), r.upperBound) }
}
