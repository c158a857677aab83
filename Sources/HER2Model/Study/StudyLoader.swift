import Foundation
import ImageIO
import Volumes

/// Reads a study folder (DESIGN.md, "Contracts") into a `Study`: `study.json`; images as NIfTI
/// (`t1`, `t2`, `dce` `.nii[.gz]`), as `T1/`, `T2/`, `DCE/` DICOM folders, or as a flat folder of
/// DICOM files classified by `SeriesClassifier`; optional tumour masks. Identifiers that
/// `study.json` leaves out are filled from the DICOM headers; a header naming another patient
/// is an error. Inputs are only read.
public struct StudyLoader: Sendable {
    public var rules: SeriesClassificationRules

    public init(rules: SeriesClassificationRules = .standard) {
        self.rules = rules
    }

    public func load(_ folder: URL) throws -> Study {
        let fm = FileManager.default
        let path = folder.path
        func fail(_ why: String) -> HER2ModelError { .invalidStudy(path: path, reason: why) }
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw fail("not a study folder")
        }
        let manifestURL = folder.appendingPathComponent("study.json")
        guard let data = fm.contents(atPath: manifestURL.path) else {
            throw fail("study.json is missing; potential fix: add it with the patient, study and clinical facts")
        }
        var manifest: StudyManifest
        do { manifest = try JSONDecoder().decode(StudyManifest.self, from: data) } catch {
            throw HER2ModelError.invalidStudy(path: manifestURL.path, reason: "not a valid study.json: \(StudyLoader.describe(error))")
        }
        try StudyLoader.validate(manifest, file: manifestURL.path)

        var notes: [String] = []
        let source: Source
        var classification: StudyClassification?
        var t1: Volume?, t2: Volume?, dce: Volume
        var phaseSeconds: [Double]?
        if let dceFile = StudyLoader.nifti(folder, "dce") {
            source = .nifti
            let image = try NIfTIReader.read(contentsOf: dceFile)
            dce = image.volume
            phaseSeconds = DCEPhaseTimes.seconds(niftiHeader: image.header, phases: dce.phases)
            t1 = try StudyLoader.nifti(folder, "t1").map { try NIfTIReader.read(contentsOf: $0).volume }
            t2 = try StudyLoader.nifti(folder, "t2").map { try NIfTIReader.read(contentsOf: $0).volume }
        } else {
            let scan = try DICOMReader.scan(directory: folder)
            guard !scan.series.isEmpty else {
                throw fail("no images: expected dce.nii[.gz] (with t1, t2), T1/ T2/ DCE/ DICOM folders, or DICOM files")
            }
            // Folders named T1, T2, DCE decide the role of the series inside them.
            var overrides = manifest.sequences ?? [:]
            var foldered = false
            for (uid, files) in scan.series {
                let parent = files[0].deletingLastPathComponent().lastPathComponent.uppercased()
                if ["T1", "T2", "DCE"].contains(parent), overrides[uid] == nil { overrides[uid] = parent; foldered = true }
            }
            source = foldered ? .dicomFolders : .dicomFlat
            let classified = try SeriesClassifier(rules: rules, overrides: overrides).classify(scan, location: path)
            let volumes = try classified.readVolumes(location: path)
            (t1, t2, dce) = (volumes.t1, volumes.t2, volumes.dce)
            notes += classified.warnings
            classification = classified
            phaseSeconds = DCEPhaseTimes.seconds(dicomTimes: classified.dce.map(\.time))
            let firstDCE = classified.headers[classified.dce[0].seriesInstanceUID]!.files[0]
            manifest = try StudyLoader.completing(manifest, fromHeaderOf: firstDCE, study: path)
        }
        guard dce.phases >= 2 else {
            throw fail("the DCE has \(dce.phases) phase; it needs a pre-contrast and at least one post-contrast phase")
        }
        if t1 == nil {
            notes.append("no separate T1: the DCE's pre-contrast phase stands in")
        }
        if t2 == nil {
            notes.append("no T2: peritumoral oedema must come from study.json (clinical.peritumoralEdema)")
        }
        let mask = try StudyLoader.nifti(folder, "tumor_mask").map { try StudyLoader.mask($0, on: dce) }
        let mask2 = try StudyLoader.nifti(folder, "tumor_mask_reader2").map { try StudyLoader.mask($0, on: dce) }
        return Study(folder: folder, manifest: manifest, source: source, t1: t1 ?? dce.phase(0), t2: t2, dce: dce,
                     tumourMask: mask, secondReaderMask: mask2, classification: classification, notes: notes,
                     dcePhaseSeconds: phaseSeconds)
    }

    /// `name.nii.gz` or `name.nii` in the folder, if present.
    static func nifti(_ folder: URL, _ name: String) -> URL? {
        for ext in [".nii.gz", ".nii"] {
            let u = folder.appendingPathComponent(name + ext)
            if FileManager.default.fileExists(atPath: u.path) { return u }
        }
        return nil
    }

    /// A mask must lie on the DCE grid (the DCE is the reference frame of the chain).
    static func mask(_ url: URL, on dce: Volume) throws -> Volume {
        let m = try NIfTIReader.read(contentsOf: url).volume
        guard m.size == dce.size, m.phases == 1, m.geometry.isClose(to: dce.geometry, tolerance: 1e-2) else {
            throw HER2ModelError.invalidStudy(path: url.path, reason:
                "the mask's grid (\(m.size.x)×\(m.size.y)×\(m.size.z)) is not the DCE's (\(dce.size.x)×\(dce.size.y)×\(dce.size.z)); draw it on the DCE")
        }
        return m
    }

    /// Fills what study.json leaves out from a DICOM header (names decoded by their character
    /// set, `DICOMStudyIdentifiers`); a header naming another patient is an error.
    static func completing(_ manifest: StudyManifest, fromHeaderOf file: URL, study: String) throws -> StudyManifest {
        let ids = try DICOMStudyIdentifiers(DICOMReader.readHeader(file).dataSet)
        var m = manifest
        if let id = ids.patientID, !id.isEmpty, id != m.patient.id {
            throw HER2ModelError.invalidStudy(path: study, reason:
                "study.json names patient ID '\(m.patient.id)' but the DICOM headers (\(file.lastPathComponent)) name '\(id)'; the images may belong to another patient")
        }
        func fill(_ value: inout String?, _ header: String?) {
            if value?.isEmpty ?? true, let v = header, !v.isEmpty { value = v }
        }
        fill(&m.patient.name, ids.patientName?.alphabetic)
        fill(&m.patient.birthDate, ids.patientBirthDate)
        fill(&m.patient.sex, ids.patientSex)
        fill(&m.study.accessionNumber, ids.accessionNumber)
        fill(&m.study.date, ids.studyDate)
        fill(&m.study.centre, ids.institutionName)
        return m
    }

    /// Checks the values study.json may get wrong, naming the key.
    static func validate(_ m: StudyManifest, file: String) throws {
        func bad(_ why: String) -> HER2ModelError { .invalidStudy(path: file, reason: why) }
        guard !m.patient.id.trimmingCharacters(in: .whitespaces).isEmpty else { throw bad("patient.id is empty") }
        for (key, value) in [("patient.birthDate", m.patient.birthDate), ("study.date", m.study.date)] {
            if let v = value, !(v.count == 8 && v.allSatisfy(\.isNumber)) { throw bad("\(key) '\(v)' is not YYYYMMDD") }
        }
        if let age = m.clinical.age, !(0...120).contains(age) { throw bad("clinical.age \(age) is outside 0–120") }
        if let k = m.clinical.kineticType, !(1...3).contains(k) { throw bad("clinical.kineticType \(k) must be 1, 2 or 3") }
        if let s = m.clinical.tumourSizeMm, !(s.isFinite && s > 0 && s < 300) { throw bad("clinical.tumourSizeMm \(s) is not a plausible size in mm") }
        for (uid, role) in m.sequences ?? [:] where !["T1", "T2", "DCE"].contains(role.uppercased()) {
            throw bad("sequences[\(uid)] is '\(role)'; use T1, T2 or DCE")
        }
    }

    /// A decoding error in words (the key and what was wrong), without Swift's type dump.
    static func describe(_ error: Error) -> String {
        guard let e = error as? DecodingError else { return "\(error)" }
        func path(_ c: DecodingError.Context) -> String { c.codingPath.map(\.stringValue).joined(separator: ".") }
        switch e {
        case .keyNotFound(let key, let c): return "missing key '\((c.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: "."))'"
        case .typeMismatch(_, let c): return "wrong type at '\(path(c))': \(c.debugDescription)"
        case .valueNotFound(_, let c): return "missing value at '\(path(c))'"
        case .dataCorrupted(let c): return "malformed JSON\(c.codingPath.isEmpty ? "" : " at '\(path(c))'"): \(c.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

extension StudyLoader {
    public typealias Source = Study.Source
}
