import Foundation
import Testing

/// The synthetic generator's files, read by the reference readers (Debian's python3-nibabel and
/// python3-pydicom, installed by `make test`'s set-up step): the NIfTI and the DICOM copy of one
/// study must be the same volume with the same geometry.
@Suite struct SynthPeerTests {
    /// The Python with the peers: /usr/bin/python3, or HER2MRI_PYTHON when set.
    static let python = URL(fileURLWithPath: ProcessInfo.processInfo.environment["HER2MRI_PYTHON"] ?? "/usr/bin/python3")

    static let peersAvailable: Bool = {
        guard FileManager.default.isExecutableFile(atPath: python.path) else { return false }
        let probe = try? Binary.run(["-c", "import nibabel, pydicom"], executable: python)
        return probe?.status == 0
    }()

    /// In CI the peers are part of the set-up, so there the test runs (and fails if they are
    /// missing); elsewhere a missing peer is a skip the runner reports with its reason.
    static let inCI = ProcessInfo.processInfo.environment["CI"] != nil

    @Test(.enabled(if: SynthPeerTests.peersAvailable || SynthPeerTests.inCI,
                   "\(SynthPeerTests.python.path) with nibabel and pydicom is not installed (make setup installs python3-nibabel python3-pydicom)"))
    func niftiAndDICOMCopiesAgreeWithNibabelAndPydicom() throws {
        try #require(Self.peersAvailable, "python3-nibabel / python3-pydicom missing in CI: `make setup` installs them")
        let nifti = Binary.temporaryFolder("peer-nifti"), dicom = Binary.temporaryFolder("peer-dicom")
        defer { for u in [nifti, dicom] { try? FileManager.default.removeItem(at: u) } }
        #expect(try Binary.run(["synth", "--out", nifti.path, "--patients", "4", "--seed", "77"]).status == 0)
        let made = try Binary.run(["synth", "--out", dicom.path, "--patients", "4", "--seed", "77", "--format", "dicom"])
        #expect(made.status == 0, "\(made.stderr)")

        for study in ["SYN0001", "SYN0002", "SYN0003", "SYN0004"] {
            let script = Binary.repository.appendingPathComponent("tools/peer_check_synthetic.py").path
            let run = try Binary.run([script, nifti.appendingPathComponent(study).path, dicom.appendingPathComponent(study).path],
                                     executable: Self.python)
            #expect(run.status == 0, "\(run.stderr)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            for sequence in ["t1", "t2", "dce"] {
                let r = try #require(report[sequence] as? [String: Any])
                #expect(r["niftiShape"] as? [Int] == r["dicomShape"] as? [Int], "\(study) \(sequence) shapes")
                let range = r["range"] as? Double ?? 0
                #expect(range > 100, "\(study) \(sequence) has contrast")
                let diff = try #require(r["maxAbsDiff"] as? Double)
                #expect(diff <= 1e-4 * range, "\(study) \(sequence): NIfTI and DICOM differ by \(diff)")
                #expect((r["affineMaxDiff"] as? Double ?? 1) < 1e-4, "\(study) \(sequence): affines differ")
            }
        }
    }
}
