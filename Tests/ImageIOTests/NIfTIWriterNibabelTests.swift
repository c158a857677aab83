import Foundation
import LinearAlgebra
import Testing
import Volumes
@testable import ImageIO

/// Files from `NIfTIWriter` read in nibabel (tools/nifti_check_written.py) give the same samples
/// and world. Uses the venv the script's docstring describes (nibabel 5.4.2) when present, else
/// Debian's python3-nibabel, which `make setup` installs; skipped with a printed reason without
/// either.
@Suite struct NIfTIWriterNibabelTests {
    typealias S = NIfTITestSupport

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let python: URL? = {
        let venv = repository.appendingPathComponent("tools/.venv-nibabel/bin/python")
        if FileManager.default.isExecutableFile(atPath: venv.path) { return venv }
        let debian = URL(fileURLWithPath: "/usr/bin/python3")
        guard FileManager.default.isExecutableFile(atPath: debian.path) else { return nil }
        let probe = Process()
        probe.executableURL = debian
        probe.arguments = ["-c", "import nibabel"]
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return nil }
        probe.waitUntilExit()
        return probe.terminationStatus == 0 ? debian : nil
    }()
    static var available: Bool { python != nil }

    struct Seen: Decodable {
        let shape: [Int]
        let datatype: String
        let zooms: [Double]
        let xyztUnits: [String]
        let sclSlope: Double?
        let sclInter: Double?
        let affine: [[Double]]
        let qform: [[Double]]?
        let qformCode: Int
        let sform: [[Double]]?
        let sformCode: Int
        let description: String
        let values: [Double]
    }

    @Test(.enabled(if: Self.available, "skipped: neither tools/.venv-nibabel nor Debian's python3-nibabel (make setup installs it)"))
    func nibabelReadsWhatWeWrite() throws {
        let folder = try S.scratchFolder("tonibabel")
        defer { try? FileManager.default.removeItem(at: folder) }
        let geometry = Geometry(spacing: SIMD3(0.7, 0.9, 3.3), origin: SIMD3(12.3, -45.6, 78.9),
                                direction: NIfTIRoundTripTests.obliqueDirection())
        let left = Geometry(spacing: SIMD3(1, 1.5, 2), origin: SIMD3(-1, 2, -3),
                            direction: NIfTIRoundTripTests.obliqueDirection(flipThird: true))
        let cases: [(String, Volume, NIfTIDatatype, Float, Float)] = [
            ("oblique4d.nii.gz", try Volume(size: SIMD3(5, 4, 3), phases: 3, geometry: geometry,
                                            samples: (0..<180).map { Float($0 % 50) * 0.5 - 3 }), .int16, 0.5, -3),
            ("left.nii", try Volume(size: SIMD3(4, 3, 2), geometry: left,
                                    samples: (0..<24).map { Float($0) * 1.25 }), .float32, 1, 0),
            ("u8.nii", try Volume(size: SIMD3(3, 3, 3), geometry: NIfTIRoundTripTests.exactGeometry,
                                  samples: (0..<27).map { Float($0 * 9) }), .uint8, 1, 0),
        ]
        var paths: [String] = []
        for (name, volume, datatype, slope, inter) in cases {
            let url = folder.appendingPathComponent(name)
            try NIfTIWriter.write(volume, to: url, datatype: datatype, sclSlope: slope, sclInter: inter, description: "her2mri test")
            paths.append(url.path)
        }
        let process = Process()
        process.executableURL = Self.python
        process.arguments = [Self.repository.appendingPathComponent("tools/nifti_check_written.py").path] + paths
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let seen = try JSONDecoder().decode([Seen].self, from: output)
        #expect(seen.count == cases.count)
        for ((name, volume, datatype, slope, inter), s) in zip(cases, seen) {
            let size = volume.size
            #expect(s.shape == (volume.phases > 1 ? [size.x, size.y, size.z, volume.phases] : [size.x, size.y, size.z]), "\(name)")
            #expect(s.datatype == datatype.description, "\(name)")
            #expect(s.sclSlope == Double(slope) && s.sclInter == Double(inter), "\(name)")
            #expect(s.qformCode == 1 && s.sformCode == 1, "\(name)")
            #expect(s.xyztUnits == ["mm", "sec"], "\(name)")
            #expect(s.description == "her2mri test", "\(name)")
            #expect(s.values == volume.samples.map(Double.init), "\(name)")
            // img.affine is the sform (float32): the geometry to float32 precision.
            #expect(S.close(volume.geometry.rasAffine, s.affine, rel: 1e-6, abs: 1e-5), "\(name)")
            // nibabel's own qform from our quaternion and qfac: the same grid.
            let qform = try #require(s.qform)
            #expect(S.close(volume.geometry.rasAffine, qform, rel: 1e-5, abs: 1e-5), "\(name): qform \(qform)")
            for c in 0..<3 { #expect(S.close(s.zooms[c], volume.geometry.spacing[c], rel: 1e-7), "\(name)") }
        }
    }
}
