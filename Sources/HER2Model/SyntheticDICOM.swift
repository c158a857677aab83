import Foundation
import ImageIO
import Volumes

/// Writes a synthetic study as DICOM: `T1/`, `T2/` and `DCE/` folders, one MR series each (the
/// DCE series holds its six phases as temporal positions), with the patient's identifiers and
/// the centre's scanner, timing and contrast facts in the headers. UIDs are derived from the
/// patient's seed (`2.25.<decimal>` form), so the same cohort gives the same bytes.
struct SyntheticDICOM: Sendable {
    let patient: SyntheticPatient

    func write(t1: Volume, t2: Volume, dce: Volume, into folder: URL) throws {
        let c = patient.centre
        let study = uid("study"), frame = uid("frame")
        func attributes(_ name: String, number: Int, description: String, timing: (tr: Double, te: Double)) -> DICOMSeriesAttributes {
            var a = DICOMSeriesAttributes(
                patientID: "P\(patient.studyId.dropFirst(3))-\(c.name)", patientName: patient.name,
                studyInstanceUID: study, seriesInstanceUID: uid("series-\(name)"),
                frameOfReferenceUID: frame, sopInstanceUIDPrefix: uid("sop-\(name)"), seriesNumber: number)
            a.patientBirthDate = patient.birthDate
            a.patientSex = patient.sex
            a.accessionNumber = "ACC\(c.name)\(patient.studyId.dropFirst(3))"
            a.studyDate = patient.studyDate
            a.studyTime = "093000"
            a.studyDescription = "MR BREAST BILATERAL W WO CONTRAST"
            a.seriesDescription = description
            a.institutionName = "Synthetic Centre \(c.name)"
            a.manufacturer = c.manufacturer
            a.magneticFieldStrength = c.fieldStrength
            a.repetitionTime = timing.tr
            a.echoTime = timing.te
            a.fileNamePrefix = name
            return a
        }

        var a1 = attributes("T1", number: 2, description: "ax t1 non fs", timing: c.t1Timing)
        a1.scanningSequence = ["GR"]
        a1.flipAngle = 10
        a1.mrAcquisitionType = "3D"
        a1.acquisitionTimes = ["093500"]
        _ = try DICOMSeriesWriter.write(t1, to: folder.appendingPathComponent("T1"), attributes: a1)

        var a2 = attributes("T2", number: 3, description: "ax t2 tse fs", timing: c.t2Timing)
        a2.scanningSequence = ["SE"]
        a2.flipAngle = 90
        a2.mrAcquisitionType = "2D"
        a2.acquisitionTimes = ["094000"]
        _ = try DICOMSeriesWriter.write(t2, to: folder.appendingPathComponent("T2"), attributes: a2)

        var ad = attributes("DCE", number: 4, description: "ax dyn t1 fs", timing: c.dceTiming)
        ad.scanningSequence = ["GR"]
        ad.flipAngle = 12
        ad.mrAcquisitionType = "3D"
        ad.contrastBolusAgent = "Gadobutrol"
        let start = 9 * 3600 + 45 * 60
        ad.acquisitionTimes = (0..<dce.phases).map { p in
            let s = start + Int((Double(p) * c.phaseInterval).rounded())
            return String(format: "%02d%02d%02d", s / 3600, s / 60 % 60, s % 60)
        }
        ad.triggerTimes = (0..<dce.phases).map { Double($0) * c.phaseInterval * 1000 }
        _ = try DICOMSeriesWriter.write(dce, to: folder.appendingPathComponent("DCE"), attributes: ad)
    }

    /// A UID under the 2.25 root (ISO/IEC 9834-8: a decimal integer below 2^128) made from the
    /// patient's seed and a purpose, so it is unique in the cohort and stable across runs.
    func uid(_ purpose: String) -> String {
        var g = SeededGenerator(seed: patient.seed, stream: purpose.utf8.reduce(1469598103934665603) { ($0 ^ UInt64($1)) &* 1099511628211 })
        return "2.25.\(g.next() >> 1)\(String(format: "%019llu", g.next() >> 4))"
    }
}
