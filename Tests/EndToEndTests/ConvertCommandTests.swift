import Foundation
import ImageIO
import Testing
import Volumes

/// `her2mri convert` end to end on the project's own synthetic exports: every vendor style (one
/// study per centre: Siemens one series per phase, GE multiphase, Philips dynamic, Siemens
/// phases by acquisition time) in both layouts; the NIfTI written for T1, T2 and each DCE phase
/// must equal the NIfTI twin `synth` writes for the same seed (same grid; values within the
/// int16 quantisation of the DICOM export). Then the exit codes of bad input.
@Suite struct ConvertCommandTests {
    /// The files `convert` wrote for series `number` (by the `<SeriesNumber>_` prefix).
    static func output(_ folder: URL, series number: Int) throws -> URL {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasPrefix("\(number)_") && $0.hasSuffix(".nii") }
        try #require(names.count == 1, "series \(number): \(names) in \(folder.path)")
        return folder.appendingPathComponent(names[0])
    }

    static func expectSame(_ ours: Volume, _ twin: Volume, _ what: String) {
        #expect(ours.size == twin.size && ours.phases == twin.phases, "\(what): \(ours.size)×\(ours.phases) vs \(twin.size)×\(twin.phases)")
        #expect(ours.geometry.isClose(to: twin.geometry, tolerance: 1e-3), "\(what): \(ours.geometry) vs \(twin.geometry)")
        guard ours.samples.count == twin.samples.count else { return }
        let range = Double((twin.samples.max() ?? 0) - (twin.samples.min() ?? 0))
        let worst = zip(ours.samples, twin.samples).map { Double(abs($0 - $1)) }.max() ?? 0
        #expect(range > 100, "\(what) has contrast")
        #expect(worst <= 1e-4 * range, "\(what): converted and twin differ by \(worst) (range \(range))")
    }

    @Test(arguments: ["folders", "flat"])
    func syntheticExportsConvertToTheirNIfTITwins(layout: String) throws {
        let nifti = Binary.temporaryFolder("convert-nifti-\(layout)"), dicom = Binary.temporaryFolder("convert-dicom-\(layout)")
        defer { for u in [nifti, dicom] { try? FileManager.default.removeItem(at: u) } }
        #expect(try Binary.run(["synth", "--out", nifti.path, "--patients", "4", "--seed", "31"]).status == 0)
        let made = try Binary.run(["synth", "--out", dicom.path, "--patients", "4", "--seed", "31", "--format", "dicom", "--dicom-layout", layout])
        try #require(made.status == 0, "\(made.stderr)")

        for study in ["SYN0001", "SYN0002", "SYN0003", "SYN0004"] {
            let out = Binary.temporaryFolder("convert-out-\(layout)-\(study)")
            defer { try? FileManager.default.removeItem(at: out) }
            let run = try Binary.run(["convert", dicom.appendingPathComponent(study).path, "--out", out.path])
            #expect(run.status == 0, "\(study): \(run.stdout) \(run.stderr)")
            let twin = nifti.appendingPathComponent(study)
            for (series, name) in [(2, "t1"), (3, "t2")] {
                let ours = try NIfTIReader.read(contentsOf: try Self.output(out, series: series)).volume
                let theirs = try NIfTIReader.read(contentsOf: twin.appendingPathComponent("\(name).nii.gz")).volume
                Self.expectSame(ours, theirs, "\(layout) \(study) \(name)")
            }
            let dce = try NIfTIReader.read(contentsOf: twin.appendingPathComponent("dce.nii.gz")).volume
            if FileManager.default.fileExists(atPath: out.appendingPathComponent("5_fl3d_dyn_tra_fs.nii").path) {
                // Siemens, one series per phase: series 5, 6, … are the phases, each 3-D.
                for p in 0..<dce.phases {
                    let ours = try NIfTIReader.read(contentsOf: try Self.output(out, series: 5 + p)).volume
                    Self.expectSame(ours, dce.phase(p), "\(layout) \(study) DCE phase \(p)")
                }
            } else {
                let file = try Self.output(out, series: 4)
                let ours = try NIfTIReader.read(contentsOf: file).volume
                Self.expectSame(ours, dce, "\(layout) \(study) DCE")
                let json = try JSONSerialization.jsonObject(with: Data(contentsOf: file.deletingPathExtension().appendingPathExtension("json"))) as? [String: Any]
                let starts = json?["FrameTimesStart"] as? [Double] ?? []
                #expect(starts.count == dce.phases && starts.first == 0 && zip(starts, starts.dropFirst()).allSatisfy { $0 < $1 },
                        "\(study) FrameTimesStart \(starts)")
            }
            if layout == "flat" {
                // The flat export's three-plane localizer: one file per plane.
                let names = try FileManager.default.contentsOfDirectory(atPath: out.path)
                #expect(names.filter { $0.hasPrefix("1_") && $0.hasSuffix(".nii") }.count == 3, "\(study): \(names.sorted())")
            }
        }
    }

    /// Exit codes: 1 for an empty folder and for an output folder in the way (left untouched);
    /// 2 when one series is skipped (a truncated file) and the others written; 0 with --force.
    @Test func badInputGivesClearMessagesAndExitCodes() throws {
        let root = Binary.temporaryFolder("convert-bad")
        defer { try? FileManager.default.removeItem(at: root) }
        let empty = root.appendingPathComponent("empty"), out = root.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let none = try Binary.run(["convert", empty.path, "--out", out.path])
        #expect(none.status == 1 && none.stderr.contains(empty.path) && none.stderr.contains("no files"), "\(none.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))

        let dicom = root.appendingPathComponent("dicom")
        #expect(try Binary.run(["synth", "--out", dicom.path, "--patients", "1", "--seed", "5", "--format", "dicom"]).status == 0)
        let study = dicom.appendingPathComponent("SYN0001")
        let t2 = try FileManager.default.contentsOfDirectory(at: study.appendingPathComponent("T2"), includingPropertiesForKeys: nil)
            .sorted { $0.path < $1.path }
        let victim = t2[t2.count / 2]
        let bytes = try Data(contentsOf: victim)
        try bytes.prefix(bytes.count - 100).write(to: victim)
        let partial = try Binary.run(["convert", study.path, "--out", out.path])
        #expect(partial.status == 2, "\(partial.stdout) \(partial.stderr)")
        #expect(partial.stdout.contains("skipped    series 3") && partial.stdout.contains(victim.lastPathComponent), "\(partial.stdout)")
        let written = try FileManager.default.contentsOfDirectory(atPath: out.path)
        #expect(written.contains { $0.hasPrefix("2_") } && !written.contains { $0.hasPrefix("3_") }, "\(written)")

        let refused = try Binary.run(["convert", study.path, "--out", out.path])
        #expect(refused.status == 1 && refused.stderr.contains("not empty") && refused.stderr.contains("--force"), "\(refused.stderr)")
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: out.path)) == Set(written))
        try bytes.write(to: victim)
        let forced = try Binary.run(["convert", study.path, "--out", out.path, "--force", "--gz"])
        #expect(forced.status == 0, "\(forced.stdout) \(forced.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).contains { $0.hasPrefix("3_") && $0.hasSuffix(".nii.gz") })
    }
}
