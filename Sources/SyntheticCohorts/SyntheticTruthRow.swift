import Foundation
import HER2Model

/// One line of `truth/truth.csv`: what the generator knows and a model should recover.
struct SyntheticTruthRow: Sendable {
    let patient: SyntheticPatient
    /// Longest diameter of the exact mask as voxelised on the DCE grid (mm).
    let maskDiameterMm: Double
    let maskVolumeMm3: Double

    static let header = [
        "studyId", "centre", "her2", "trueProbability", "diameterMm", "maskDiameterMm", "maskVolumeMm3",
        "kineticType", "peritumoralEdema", "lymphNodeInvolvement", "microcalcifications",
        "irregularity", "heterogeneity", "initialEnhancement", "delayedChange",
        "tumourCentreX", "tumourCentreY", "tumourCentreZ",
        "t2RotX", "t2RotY", "t2RotZ", "t2TransX", "t2TransY", "t2TransZ",
        "t1RotX", "t1RotY", "t1RotZ", "t1TransX", "t1TransY", "t1TransZ",
        "dceMaxTranslationMm", "dceMotion",
    ].joined(separator: ",")

    var csv: String {
        let p = patient
        let curve = KineticCurve(
            signals: (0..<SyntheticPatient.dcePhases).map { 1 + p.tumourEnhancement(minutes: p.phaseMinutes($0)) },
            minutes: (0..<SyntheticPatient.dcePhases).map { p.phaseMinutes($0) })
        func f(_ x: Double) -> String { String(format: "%.6g", x) }
        let maxShift = p.dceMotion.map { ($0.translation * $0.translation).sum().squareRoot() }.max() ?? 0
        // Per-phase motion "rx ry rz tx ty tz" separated by '|' (phase 0 is the identity).
        let motion = p.dceMotion.map { m in
            [m.rotationDegrees.x, m.rotationDegrees.y, m.rotationDegrees.z,
             m.translation.x, m.translation.y, m.translation.z].map(f).joined(separator: " ")
        }.joined(separator: "|")
        var fields: [String] = [
            p.studyId, p.centre.name, p.her2Positive ? "positive" : "negative", f(p.trueProbability),
            f(p.diameterMm), f(maskDiameterMm), f(maskVolumeMm3),
            String(curve.type), String(p.peritumoralEdema), String(p.lymphNodeInvolvement), String(p.microcalcifications),
            f(p.irregularity), f(p.heterogeneity), f(curve.initialEnhancement), f(curve.delayedChange),
            f(p.tumourCentre.x), f(p.tumourCentre.y), f(p.tumourCentre.z),
        ]
        for t in [p.t2Offset, p.t1Offset] {
            fields += [t.rotationDegrees.x, t.rotationDegrees.y, t.rotationDegrees.z,
                       t.translation.x, t.translation.y, t.translation.z].map(f)
        }
        fields += [f(maxShift), motion]
        return fields.joined(separator: ",")
    }
}
