import Biostatistics
import Foundation
import Support
import HER2Model
import ImageIO
import Volumes

/// `her2mri synth`: a cohort of synthetic breast-MRI studies with known ground truth, in the
/// study-folder contract of DESIGN.md. It exists to exercise the whole chain end to end; it is
/// not evidence of clinical accuracy.
///
/// Layout written under `output`:
/// - one folder per study (`SYN0001/` …): `study.json`, images (`t1.nii.gz`, `t2.nii.gz`,
///   `dce.nii.gz` (4-D), or DICOM in `T1/`, `T2/`, `DCE/` folders or flat in the study folder,
///   written in the centre's vendor style), `tumor_mask.nii.gz` and
///   `tumor_mask_reader2.nii.gz` (two readers' outlines);
/// - `labels.csv` (`studyId,her2,centre`);
/// - `truth/truth.csv` and `truth/masks/<study>_tumor_mask.nii.gz` (exact masks).
/// The same configuration gives the same bytes.
public struct SyntheticCohort: Sendable {
    /// Image file format of the studies.
    public enum Format: String, Sendable, CaseIterable {
        case nifti
        case dicom
    }

    /// How DICOM studies are laid out: `T1/`, `T2/`, `DCE/` folders, or one flat folder of every
    /// series (localizer, subtraction or MIP included) with random-looking file names.
    public enum DICOMLayout: String, Sendable, CaseIterable {
        case folders
        case flat
    }

    /// Image grids: `standard` (a 112 × 112 × 64 mm field at each centre's voxel size, e.g.
    /// 124 × 124 × 32 for centre A's DCE: fast, for tests) or `clinical` (the DCE 256 × 256 × 80
    /// at 0.7 × 0.7 × 2.0 mm at every centre, T1 and T2 at the centre's voxel-size ratios: for
    /// speed measurements at the size of real breast MRI).
    public enum ImageSize: String, Sendable, CaseIterable {
        case standard
        case clinical
    }

    public var patients: Int
    public var seed: UInt64
    public var format: Format
    public var dicomLayout: DICOMLayout
    public var imageSize: ImageSize

    public init(patients: Int, seed: UInt64, format: Format = .nifti, dicomLayout: DICOMLayout = .folders,
                imageSize: ImageSize = .standard) {
        self.patients = patients
        self.seed = seed
        self.format = format
        self.dicomLayout = dicomLayout
        self.imageSize = imageSize
    }

    /// What was written, for the caller to print.
    public struct Summary: Sendable {
        public let directory: URL
        public let studies: [String]
        public let positives: Int
        public let perCentre: [String: Int]
        /// AUC of the true probabilities against the drawn labels: the best any model can reach.
        public let bestAchievableAUC: Double
    }

    /// Writes the cohort to `output`, which must not exist or be empty. Everything is first
    /// written to a hidden sibling folder and renamed into place, so a failure leaves nothing
    /// behind.
    public func write(to output: URL) throws -> Summary {
        guard patients >= 1, patients <= 100_000 else {
            throw SyntheticCohortError.invalidArgument("--patients must be between 1 and 100000 (got \(patients))")
        }
        let fm = FileManager.default
        if let contents = try? fm.contentsOfDirectory(atPath: output.path), !contents.isEmpty {
            throw SyntheticCohortError.outputExists(output.path)
        }
        let staging = output.deletingLastPathComponent()
            .appendingPathComponent(".\(output.lastPathComponent).partial-\(ProcessInfo.processInfo.processIdentifier)")
        try? fm.removeItem(at: staging)
        do {
            try fm.createDirectory(at: staging.appendingPathComponent("truth/masks"), withIntermediateDirectories: true)
            let people = (0..<patients).map { SyntheticPatient(index: $0, cohortSeed: seed) }
            let truthRows = try ParallelMap.map(people) { patient in
                try writeStudy(patient, into: staging)
            }
            var labels = "studyId,her2,centre\n"
            var truth = SyntheticTruthRow.header + "\n"
            for (p, row) in zip(people, truthRows) {
                labels += "\(p.studyId),\(p.her2Positive ? "positive" : "negative"),\(p.centre.name)\n"
                truth += row.csv + "\n"
            }
            try Data(labels.utf8).write(to: staging.appendingPathComponent("labels.csv"))
            try Data(truth.utf8).write(to: staging.appendingPathComponent("truth/truth.csv"))
            if fm.fileExists(atPath: output.path) { try fm.removeItem(at: output) } // empty, checked above
            try fm.moveItem(at: staging, to: output)
            var perCentre: [String: Int] = [:]
            for p in people { perCentre[p.centre.name, default: 0] += 1 }
            return Summary(directory: output, studies: people.map(\.studyId),
                           positives: people.filter(\.her2Positive).count, perCentre: perCentre,
                           bestAchievableAUC: SyntheticCohort.auc(scores: people.map(\.trueProbability),
                                                                  labels: people.map(\.her2Positive)))
        } catch {
            try? fm.removeItem(at: staging)
            throw error
        }
    }

    /// Renders and writes one study folder, and the exact mask into `truth/masks`.
    func writeStudy(_ patient: SyntheticPatient, into root: URL) throws -> SyntheticTruthRow {
        let renderer = SyntheticRenderer(patient: patient, imageSize: imageSize)
        let folder = root.appendingPathComponent(patient.studyId)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try studyManifest(patient).encoded().write(to: folder.appendingPathComponent("study.json"))

        let t1 = renderer.render(.t1)
        let t2 = renderer.render(.t2)
        let dce = try Volume.stacking((0..<SyntheticPatient.dcePhases).map { renderer.render(.dce(phase: $0)) })
        switch format {
        case .nifti:
            try NIfTIWriter.write(t1, to: folder.appendingPathComponent("t1.nii.gz"), datatype: .int16)
            try NIfTIWriter.write(t2, to: folder.appendingPathComponent("t2.nii.gz"), datatype: .int16)
            try NIfTIWriter.write(dce, to: folder.appendingPathComponent("dce.nii.gz"), datatype: .int16,
                                  timeStepSeconds: patient.centre.phaseInterval)
        case .dicom:
            try SyntheticDICOM(patient: patient, layout: dicomLayout)
                .write(t1: t1, t2: t2, dce: dce, renderer: renderer, into: folder)
        }
        let exact = renderer.tumourMask()
        try NIfTIWriter.write(renderer.tumourMask(jitter: 0.6, reader: 1),
                              to: folder.appendingPathComponent("tumor_mask.nii.gz"), datatype: .uint8)
        try NIfTIWriter.write(renderer.tumourMask(jitter: 0.6, reader: 2),
                              to: folder.appendingPathComponent("tumor_mask_reader2.nii.gz"), datatype: .uint8)
        try NIfTIWriter.write(exact, to: root.appendingPathComponent("truth/masks/\(patient.studyId)_tumor_mask.nii.gz"),
                              datatype: .uint8)
        return SyntheticTruthRow(patient: patient, maskDiameterMm: exact.maskLongestDiameter,
                                 maskVolumeMm3: exact.maskVolumeMm3)
    }

    /// The study.json of a synthetic patient (a training cohort: the label is included).
    func studyManifest(_ p: SyntheticPatient) -> StudyManifest {
        StudyManifest(
            patient: .init(id: "P\(p.studyId.dropFirst(3))-\(p.centre.name)", name: p.name, birthDate: p.birthDate, sex: p.sex),
            study: .init(accessionNumber: "ACC\(p.centre.name)\(p.studyId.dropFirst(3))", date: p.studyDate, centre: p.centre.name),
            clinical: .init(age: p.ageYears, lymphNodeInvolvement: p.lymphNodeInvolvement,
                            microcalcifications: p.microcalcifications),
            her2: p.her2Positive ? .positive : .negative,
            sequences: nil)
    }

    /// AUC (ties count ½) by DeLong's midrank components; NaN when one class is absent.
    static func auc(scores: [Double], labels: [Bool]) -> Double {
        let pos = zip(scores, labels).filter { $0.1 }.map(\.0)
        let neg = zip(scores, labels).filter { !$0.1 }.map(\.0)
        guard !pos.isEmpty, !neg.isEmpty else { return .nan }
        return DeLong.components(positives: pos, negatives: neg).auc
    }
}
