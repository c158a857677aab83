import Foundation
import Testing

/// `her2mri radiomics` on committed fixtures: pyradiomics' names and values in the JSON, and
/// bad input refused with the file named, exit code 1 and nothing on standard output.
@Suite("her2mri radiomics")
struct RadiomicsCommandTests {
    static let fixtures = Binary.repository.appendingPathComponent("fixtures/radiomics")

    @Test func jsonMatchesPyradiomicsOnThePhantom() throws {
        let cases = Self.fixtures.appendingPathComponent("cases")
        let run = try Binary.run(["radiomics", cases.appendingPathComponent("ibsi_phantom_image.nii.gz").path,
                                  cases.appendingPathComponent("ibsi_phantom_mask.nii.gz").path,
                                  "--params", Self.fixtures.appendingPathComponent("params/phantom_bw1.yaml").path, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let ours = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let reference = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: Self.fixtures.appendingPathComponent("pyradiomics_reference.json"))) as? [String: Any])
        let expected = try #require((reference["ibsi_phantom"] as? [String: Any])?["phantom_bw1"] as? [String: Double])
        #expect(expected.count == 107)
        for (name, value) in expected {
            let mine = try #require(ours[name] as? Double, "missing \(name)")
            #expect(abs(mine - value) <= 1e-6 * max(abs(value), 1e-12), "\(name): \(mine) vs \(value)")
        }
        let diagnostics = try #require(ours["diagnostics"] as? [String: Any])
        #expect((diagnostics["diagnostics_Image-original_Hash"] as? String)?.hasPrefix("sha256:") == true)
        #expect(diagnostics["diagnostics_Mask-original_VoxelNum"] as? Double == 74)
        #expect(diagnostics["diagnostics_Configuration_Settings"] != nil)
    }

    @Test func badInputNamesTheFile() throws {
        let cases = Self.fixtures.appendingPathComponent("cases")
        let image = cases.appendingPathComponent("ibsi_phantom_image.nii.gz").path
        // The image as its own mask: labels 1…9 exist, but a label-7 request finds none.
        let folder = Binary.temporaryFolder("radiomics-bad")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let params = folder.appendingPathComponent("p.yaml")
        try "setting:\n  label: 7\n".write(to: params, atomically: true, encoding: .utf8)
        let run = try Binary.run(["radiomics", image, image, "--params", params.path])
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains(image) && run.stderr.contains("label 7 is not present"), "\(run.stderr)")

        try "setting:\n  binWidth: wide\n".write(to: params, atomically: true, encoding: .utf8)
        let wrongType = try Binary.run(["radiomics", image, image, "--params", params.path])
        #expect(wrongType.status == 1)
        #expect(wrongType.stderr.contains(params.path) && wrongType.stderr.contains("binWidth must be a number"))

        let missing = try Binary.run(["radiomics", image, folder.appendingPathComponent("none.nii").path])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("none.nii"))
    }
}
