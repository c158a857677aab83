import Foundation
import Testing
import ImageIO
import Volumes
@testable import HER2Model
@testable import SyntheticCohorts

/// A 40-study cohort written twice from one seed — as flat DICOM folders in the four centres'
/// vendor styles (series shuffled, random file names, localizers and subtractions beside the
/// anatomy) and as NIfTI — so every DICOM study can be checked against its NIfTI twin.
enum TwinCohort {
    static let patients = 40
    static let seed: UInt64 = 40
    static let root = temporaryFolder("twin-cohort")
    static let dicom = root.appendingPathComponent("dicom")
    static let nifti = root.appendingPathComponent("nifti")

    /// Written once per test process.
    static let written: Result<Void, Error> = Result {
        _ = try SyntheticCohort(patients: patients, seed: seed, format: .dicom, dicomLayout: .flat).write(to: dicom)
        _ = try SyntheticCohort(patients: patients, seed: seed, format: .nifti).write(to: nifti)
    }

    static func study(_ index: Int) -> String { String(format: "SYN%04d", index + 1) }
}

/// A scratch copy of one study folder for a bad-input case.
func scratchCopy(of study: URL, _ name: String) throws -> URL {
    let copy = temporaryFolder("case-\(name)")
    try FileManager.default.copyItem(at: study, to: copy)
    return copy
}

@Suite(.serialized) struct StudyLoaderTests {
    @Test(.timeLimit(.minutes(20)))
    func everyFlatDICOMStudyIsClassifiedAndReadLikeItsNIfTITwin() throws {
        try TwinCohort.written.get()
        var styles: Set<String> = []
        for index in 0..<TwinCohort.patients {
            let id = TwinCohort.study(index)
            let patient = SyntheticPatient(index: index, cohortSeed: TwinCohort.seed)
            let fromDICOM = try StudyLoader().load(TwinCohort.dicom.appendingPathComponent(id))
            let fromNIfTI = try StudyLoader().load(TwinCohort.nifti.appendingPathComponent(id))
            styles.insert(patient.centre.dicomStyle.rawValue)

            let expected = SyntheticDICOM(patient: patient, layout: .flat).expected
            let c = try #require(fromDICOM.classification)
            #expect(c.t1 == expected.t1, "\(id) (\(patient.centre.dicomStyle)): T1")
            #expect(c.t2 == expected.t2, "\(id) (\(patient.centre.dicomStyle)): T2")
            #expect(c.dceSeries == expected.dce, "\(id) (\(patient.centre.dicomStyle)): DCE series")
            #expect(c.dce.count == SyntheticPatient.dcePhases)
            #expect(fromDICOM.source == .dicomFlat && fromNIfTI.source == .nifti)
            #expect(fromDICOM.notes.isEmpty, "\(id): \(fromDICOM.notes)")

            // The right series in the right phase order give the same samples and grids.
            #expect(fromDICOM.dce.samples == fromNIfTI.dce.samples, "\(id): DCE differs from the NIfTI twin")
            #expect(fromDICOM.t1.samples == fromNIfTI.t1.samples, "\(id): T1 differs")
            #expect(fromDICOM.t2?.samples == fromNIfTI.t2?.samples, "\(id): T2 differs")
            #expect(fromDICOM.dce.geometry.isClose(to: fromNIfTI.dce.geometry, tolerance: 1e-4))
            #expect(fromDICOM.t2!.geometry.isClose(to: fromNIfTI.t2!.geometry, tolerance: 1e-4))

            // Identifiers: study.json's, completed and checked against the headers.
            #expect(fromDICOM.manifest.patient.id == fromNIfTI.manifest.patient.id)
            #expect(fromDICOM.manifest.patient.name == patient.name)
            #expect(fromDICOM.tumourMask?.size == fromDICOM.dce.size)
        }
        #expect(styles.count == 4)
    }

    @Test(.timeLimit(.minutes(5)))
    func overridesInStudyJSONDecide() throws {
        try TwinCohort.written.get()
        let folder = try scratchCopy(of: TwinCohort.dicom.appendingPathComponent("SYN0003"), "override")
        defer { try? FileManager.default.removeItem(at: folder) }
        let patient = SyntheticPatient(index: 2, cohortSeed: TwinCohort.seed)
        let expected = SyntheticDICOM(patient: patient, layout: .flat).expected
        // Swap T1 and T2 on purpose: the loader must follow study.json, not its rules.
        try editManifest(folder) { $0.sequences = [expected.t1: "T2", expected.t2: "T1"] }
        let study = try StudyLoader().load(folder)
        let twin = try StudyLoader().load(TwinCohort.nifti.appendingPathComponent("SYN0003"))
        #expect(study.t1.samples == twin.t2!.samples)
        #expect(study.t2!.samples == twin.t1.samples)
        #expect(study.classification?.reasons[expected.t1]?.contains("study.json") == true)
    }

    @Test(.timeLimit(.minutes(5)))
    func aDCEWithOnePhaseIsRefused() throws {
        try TwinCohort.written.get()
        // SYN0001 is centre A (Siemens, one series per phase): keep only the pre-contrast series.
        let folder = try scratchCopy(of: TwinCohort.dicom.appendingPathComponent("SYN0001"), "one-phase")
        defer { try? FileManager.default.removeItem(at: folder) }
        let expected = SyntheticDICOM(patient: SyntheticPatient(index: 0, cohortSeed: TwinCohort.seed), layout: .flat).expected
        try removeFiles(in: folder) { Set(expected.dce.dropFirst()).contains($0.string(.seriesInstanceUID) ?? "") }
        #expect { try StudyLoader().load(folder) } throws: { error in
            "\(error)".contains("1 phase") && "\(error)".contains(folder.path)
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func twoCandidateT2SeriesGiveAWarningThatSaysWhy() throws {
        try TwinCohort.written.get()
        let folder = try scratchCopy(of: TwinCohort.dicom.appendingPathComponent("SYN0002"), "two-t2")
        defer { try? FileManager.default.removeItem(at: folder) }
        let patient = SyntheticPatient(index: 1, cohortSeed: TwinCohort.seed)
        let writer = SyntheticDICOM(patient: patient, layout: .flat)
        let t2 = try NIfTIReader.read(contentsOf: TwinCohort.nifti.appendingPathComponent("SYN0002/t2.nii.gz")).volume
        var a = writer.attributes("T2-extra", number: 13, timing: patient.centre.t2Timing)
        a.seriesDescription = "Ax T2 FSE"
        a.scanningSequence = ["SE"]
        let extra = temporaryFolder("two-t2-extra")
        defer { try? FileManager.default.removeItem(at: extra) }
        for file in try DICOMSeriesWriter.write(t2, to: extra, attributes: a) {
            try FileManager.default.moveItem(at: file, to: folder.appendingPathComponent("extra-" + file.lastPathComponent))
        }
        let study = try StudyLoader().load(folder)
        #expect(study.classification?.t2 == writer.expected.t2)
        let warning = try #require(study.notes.first { $0.contains("candidate T2") })
        #expect(warning.contains("Ax T2 FSE FS") && warning.contains("because"))
    }

    @Test(.timeLimit(.minutes(5)))
    func aMissingSliceATruncatedFileAndAnotherPatientAreClearErrors() throws {
        try TwinCohort.written.get()
        let source = TwinCohort.dicom.appendingPathComponent("SYN0004")
        let expected = SyntheticDICOM(patient: SyntheticPatient(index: 3, cohortSeed: TwinCohort.seed), layout: .flat).expected

        // A T2 slice from the middle of the stack is gone.
        let missing = try scratchCopy(of: source, "missing-slice")
        defer { try? FileManager.default.removeItem(at: missing) }
        var removed = false
        try removeFiles(in: missing) { ds in
            guard !removed, ds.string(.seriesInstanceUID) == expected.t2, (try? ds.integer(.instanceNumber)) == 8 else { return false }
            removed = true
            return true
        }
        #expect(removed)
        #expect { try StudyLoader().load(missing) } throws: { "\($0)".contains("missing") || "\($0)".contains("gap") || "\($0)".contains("spacing") }

        // A DCE file ends inside an element.
        let truncated = try scratchCopy(of: source, "truncated")
        defer { try? FileManager.default.removeItem(at: truncated) }
        let victim = try #require(try dicomFiles(in: truncated).first { (try? DICOMReader.readHeader($0).dataSet.string(.seriesInstanceUID)) == expected.dce[0] })
        let bytes = try Data(contentsOf: victim)
        try bytes.prefix(bytes.count / 2).write(to: victim)
        #expect { try StudyLoader().load(truncated) } throws: { "\($0)".contains(victim.lastPathComponent) }

        // study.json names another patient than the headers.
        let other = try scratchCopy(of: source, "other-patient")
        defer { try? FileManager.default.removeItem(at: other) }
        try editManifest(other) { $0.patient.id = "SOMEONE-ELSE" }
        #expect { try StudyLoader().load(other) } throws: { "\($0)".contains("SOMEONE-ELSE") && "\($0)".contains("another patient") }

        // No study.json at all.
        try FileManager.default.removeItem(at: other.appendingPathComponent("study.json"))
        #expect { try StudyLoader().load(other) } throws: { "\($0)".contains("study.json is missing") }
    }
}

func editManifest(_ folder: URL, _ change: (inout StudyManifest) -> Void) throws {
    let url = folder.appendingPathComponent("study.json")
    var m = try JSONDecoder().decode(StudyManifest.self, from: Data(contentsOf: url))
    change(&m)
    try m.encoded().write(to: url)
}

func dicomFiles(in folder: URL) throws -> [URL] {
    try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        .filter { !$0.lastPathComponent.contains(".") }.sorted { $0.path < $1.path }
}

func removeFiles(in folder: URL, where predicate: (DICOMDataSet) -> Bool) throws {
    for file in try dicomFiles(in: folder) where predicate(try DICOMReader.readHeader(file).dataSet) {
        try FileManager.default.removeItem(at: file)
    }
}
