import Foundation
import Support
import ImageIO
import Volumes

/// Writes a synthetic study as DICOM the way its centre's scanner would (`CentreProfile.DICOMStyle`):
/// vendor sequence names and private tags, one series per phase or one multiphase series,
/// localizers, subtractions and MIPs beside the anatomy. UIDs derive from the patient's seed
/// (`2.25.<decimal>`), so the same cohort gives the same bytes.
///
/// Layouts: `folders` writes `T1/`, `T2/`, `DCE/` (the anatomical series only); `flat` writes
/// every series, extras included, as files with random-looking names in the study folder
/// itself, as a PACS export would — then only the headers tell the series apart.
struct SyntheticDICOM: Sendable {
    typealias Layout = SyntheticCohort.DICOMLayout

    let patient: SyntheticPatient
    let layout: Layout

    /// What `SeriesClassifier` should find, for tests: Series Instance UIDs by role.
    struct Expected: Sendable {
        let t1: String
        let t2: String
        let dce: [String]
    }

    var expected: Expected {
        let dce: [String]
        switch patient.centre.dicomStyle {
        case .siemensSeriesPerPhase: dce = (0..<SyntheticPatient.dcePhases).map { uid("series-DCE-\($0)") }
        default: dce = [uid("series-DCE")]
        }
        return Expected(t1: uid("series-T1"), t2: uid("series-T2"), dce: dce)
    }

    func write(t1: Volume, t2: Volume, dce: Volume, renderer: SyntheticRenderer, into folder: URL) throws {
        let c = patient.centre
        let fm = FileManager.default
        let root = layout == .flat ? folder.appendingPathComponent(".dicom-staging") : folder
        func dir(_ name: String) -> URL { root.appendingPathComponent(layout == .flat ? "all" : name) }

        // Anatomy.
        var a1 = attributes("T1", number: 2, timing: c.t1Timing)
        var a2 = attributes("T2", number: 3, timing: c.t2Timing)
        a2.scanningSequence = ["SE"]
        a2.flipAngle = 90
        a2.mrAcquisitionType = "2D"
        a2.scanOptions = ["FS"]
        a1.flipAngle = 10
        a1.acquisitionTimes = [time(offsetSeconds: -8 * 60)]
        a2.acquisitionTimes = [time(offsetSeconds: -5 * 60)]
        switch c.dicomStyle {
        case .siemensSeriesPerPhase:
            a1.seriesDescription = "t1_fl3d_tra_nonfs"; a1.sequenceName = "*fl3d1"
            a2.seriesDescription = "t2_tse_tra_fs"; a2.sequenceName = "*tse2d1_15"
        case .geMultiphase:
            a1.seriesDescription = "Ax T1 non fat sat"; a1.extra = ge("3dfgre")
            a2.seriesDescription = "Ax T2 FSE FS"; a2.extra = ge("fse-xl")
        case .philipsDynamic:
            a1.seriesDescription = "T1W_FFE"
            a2.seriesDescription = "T2W_TSE_SPAIR"; a2.scanOptions = ["SPAIR"]
        case .siemensSingleSeries:
            a1.seriesDescription = "fl3d_pre_tra_fs"; a1.sequenceName = "*fl3d1"; a1.scanOptions = ["FS"]
            a2.seriesDescription = "t2_tirm_tra"; a2.sequenceName = "*tir2d1_13"; a2.scanningSequence = ["SE", "IR"]
            a2.scanOptions = ["IR"]
        }
        _ = try DICOMSeriesWriter.write(t1, to: dir("T1"), attributes: a1)
        _ = try DICOMSeriesWriter.write(t2, to: dir("T2"), attributes: a2)

        // DCE.
        var ad = attributes("DCE", number: 4, timing: c.dceTiming)
        ad.flipAngle = 12
        ad.scanOptions = ["FS"]
        let times = (0..<dce.phases).map { time(offsetSeconds: Int((Double($0) * c.phaseInterval).rounded())) }
        switch c.dicomStyle {
        case .siemensSeriesPerPhase:
            for p in 0..<dce.phases {
                var a = attributes("DCE-\(p)", number: 5 + p, timing: c.dceTiming)
                a.seriesDescription = "fl3d_dyn_tra_fs"
                a.sequenceName = "*fl3d1"
                a.scanOptions = ["FS"]
                a.flipAngle = 12
                a.contrastBolusAgent = p > 0 ? "Gadobutrol" : nil
                a.acquisitionTimes = [times[p]]
                _ = try DICOMSeriesWriter.write(dce.phase(p), to: dir("DCE"), attributes: a)
            }
        case .geMultiphase:
            ad.seriesDescription = "Ax VIBRANT MPh"
            ad.extra = ge("efgre3d")
            ad.contrastBolusAgent = "Gadobutrol"
            ad.acquisitionTimes = times
            ad.triggerTimes = (0..<dce.phases).map { Double($0) * c.phaseInterval * 1000 }
            _ = try DICOMSeriesWriter.write(dce, to: dir("DCE"), attributes: ad)
        case .philipsDynamic:
            ad.seriesDescription = "DYN_eTHRIVE"
            ad.contrastBolusAgent = "Gadobutrol"
            ad.acquisitionTimes = times
            _ = try DICOMSeriesWriter.write(dce, to: dir("DCE"), attributes: ad)
        case .siemensSingleSeries:
            // One series, phases told apart only by Acquisition / Content Time.
            for p in 0..<dce.phases {
                var a = ad
                a.seriesDescription = "fl3d_dyn_tra_fs"
                a.sequenceName = "*fl3d1"
                a.acquisitionTimes = [times[p]]
                a.firstInstanceNumber = 1 + p * dce.size.z
                a.fileNamePrefix = "DCE\(p)_"
                _ = try DICOMSeriesWriter.write(dce.phase(p), to: dir("DCE"), attributes: a)
            }
        }

        guard layout == .flat else { return }
        try writeExtras(dce: dce, renderer: renderer, into: dir("extra"))
        // Random-looking, seeded names; the files land beside study.json.
        let staged = try fm.contentsOfDirectory(at: dir("all"), includingPropertiesForKeys: nil).sorted { $0.path < $1.path }
        var g = SplitMix64(seed: patient.seed, stream: 0xF1A7)
        for file in staged {
            let name = String(format: "%016llX", g.next())
            try fm.moveItem(at: file, to: folder.appendingPathComponent(name))
        }
        try fm.removeItem(at: root)
    }

    /// A localizer (three orthogonal planes in one series) and a derived subtraction or MIP.
    func writeExtras(dce: Volume, renderer: SyntheticRenderer, into directory: URL) throws {
        let c = patient.centre
        var loc = attributes("LOC", number: 1, timing: (8.6, 4.0))
        loc.seriesDescription = c.dicomStyle == .geMultiphase ? "3Plane Loc" : (c.dicomStyle == .philipsDynamic ? "Survey" : "localizer")
        loc.acquisitionTimes = [time(offsetSeconds: -10 * 60)]
        // (i, j, k) axes of an axial, a sagittal and a coronal plane, each right-handed.
        let planes: [(SIMD3<Double>, SIMD3<Double>, SIMD3<Double>)] = [
            (SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1)),
            (SIMD3(0, 1, 0), SIMD3(0, 0, -1), SIMD3(-1, 0, 0)),
            (SIMD3(1, 0, 0), SIMD3(0, 0, -1), SIMD3(0, 1, 0)),
        ]
        for (n, axes) in planes.enumerated() {
            let size = SIMD3(64, 64, 1)
            let centre = SyntheticRenderer.fieldCentre
            var g = Geometry(spacing: SIMD3(2.5, 2.5, 5), origin: .zero, axes: axes)
            g.origin = centre - g.world(ofIndex: SIMD3(31.5, 31.5, 0))
            var a = loc
            a.firstInstanceNumber = n + 1
            a.fileNamePrefix = "LOC\(n)_"
            _ = try DICOMSeriesWriter.write(renderer.render(.t1, size: size, geometry: g), to: directory, attributes: a)
        }

        // Subtraction (early post minus pre), or its maximum-intensity projection for GE.
        var sub = dce.phase(2)
        let pre = dce.phase(0)
        for i in sub.samples.indices { sub.samples[i] -= pre.samples[i] }
        var a = attributes("SUB", number: 20, timing: c.dceTiming)
        a.acquisitionTimes = [time(offsetSeconds: Int(2 * c.phaseInterval))]
        switch c.dicomStyle {
        case .geMultiphase:
            a.seriesDescription = "MIP Ax VIBRANT"
            a.imageType = ["DERIVED", "SECONDARY", "MIP"]
            var mip = try Volume(size: SIMD3(sub.size.x, sub.size.y, 1), geometry: sub.geometry, repeating: 0)
            for k in 0..<sub.size.z { for j in 0..<sub.size.y { for i in 0..<sub.size.x { mip[i, j, 0] = max(mip[i, j, 0], sub[i, j, k]) } } }
            _ = try DICOMSeriesWriter.write(mip, to: directory, attributes: a)
        default:
            a.seriesDescription = c.dicomStyle == .philipsDynamic ? "SUB DYN_eTHRIVE" : "fl3d_dyn_tra_fs_SUB"
            a.imageType = ["DERIVED", "PRIMARY", "SUBTRACTION", "ND"]
            _ = try DICOMSeriesWriter.write(sub, to: directory, attributes: a)
        }
    }

    /// The attributes every series of the study shares, with a series of its own.
    func attributes(_ name: String, number: Int, timing: (tr: Double, te: Double)) -> DICOMSeriesAttributes {
        let c = patient.centre
        var a = DICOMSeriesAttributes(
            patientID: "P\(patient.studyId.dropFirst(3))-\(c.name)", patientName: patient.name,
            studyInstanceUID: uid("study"), seriesInstanceUID: uid("series-\(name)"),
            frameOfReferenceUID: uid("frame"), sopInstanceUIDPrefix: uid("sop-\(name)"), seriesNumber: number)
        a.patientBirthDate = patient.birthDate
        a.patientSex = patient.sex
        a.accessionNumber = "ACC\(c.name)\(patient.studyId.dropFirst(3))"
        a.studyDate = patient.studyDate
        a.studyTime = "093000"
        a.studyDescription = "MR BREAST BILATERAL W WO CONTRAST"
        a.institutionName = "Synthetic Centre \(c.name)"
        a.manufacturer = c.manufacturer
        a.magneticFieldStrength = c.fieldStrength
        a.repetitionTime = timing.tr
        a.echoTime = timing.te
        a.mrAcquisitionType = "3D"
        a.fileNamePrefix = name + "_"
        return a
    }

    /// GE's private pulse-sequence name (0019,109C) with its creator.
    func ge(_ pulse: String) -> [(tag: UInt32, vr: String, value: String)] {
        [(0x0019_0010, "LO", "GEMS_ACQU_01"), (0x0019_109C, "LO", pulse)]
    }

    /// HHMMSS of the DCE start (09:45:00) plus `offsetSeconds`.
    func time(offsetSeconds: Int) -> String {
        let s = 9 * 3600 + 45 * 60 + offsetSeconds
        return String(format: "%02d%02d%02d", s / 3600, s / 60 % 60, s % 60)
    }

    /// A UID under the 2.25 root (ISO/IEC 9834-8: a decimal integer below 2^128) made from the
    /// patient's seed and a purpose, so it is unique in the cohort and stable across runs.
    func uid(_ purpose: String) -> String {
        var g = SplitMix64(seed: patient.seed, stream: purpose.utf8.reduce(1469598103934665603) { ($0 ^ UInt64($1)) &* 1099511628211 })
        return "2.25.\(g.next() >> 1)\(String(format: "%019llu", g.next() >> 4))"
    }
}
