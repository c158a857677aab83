import Foundation
import LinearAlgebra
import Testing
import Volumes
@testable import ImageIO

/// Agreement with nibabel 5.4.2 on the real files of ../shared/realdata/nifti
/// (reference/nifti.json, made by the people who set up that folder; see its README).
@Suite struct NIfTIRealDataTests {
    typealias S = NIfTITestSupport

    static var referenceFiles: [String] {
        ((try? RealData.reference("nifti")) ?? []).compactMap { $0["file"] as? String }
    }

    @Test(.enabled(if: RealData.available, RealData.skipReason))
    func everyRealFileHasAReference() throws {
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: RealData.url("nifti").path).sorted()
        #expect(onDisk == Self.referenceFiles.sorted())
        #expect(onDisk.count == 4)
    }

    @Test(.enabled(if: RealData.available, RealData.skipReason))
    func summaryAgreesWithNibabel() throws {
        for ref in try RealData.reference("nifti") {
            let name = try #require(ref["file"] as? String)
            let summary = try NIfTISummary(contentsOf: RealData.url("nifti/\(name)"))
            let isNifti2 = (ref["format"] as? String) == "Nifti2Image"
            #expect(summary.format == (isNifti2 ? "nifti2" : "nifti1"), "\(name)")
            #expect(summary.shape == ref["shape"] as? [Int], "\(name)")
            #expect(summary.datatype == ref["datatype"] as? String, "\(name)")
            let zooms = try #require(ref["zooms"] as? [Double])
            #expect(summary.zooms.count == zooms.count && zip(summary.zooms, zooms).allSatisfy { S.close($0, $1) }, "\(name)")
            #expect(summary.qformCode == ref["qform_code"] as? Int, "\(name)")
            #expect(summary.sformCode == ref["sform_code"] as? Int, "\(name)")
            let affine = try #require(ref["affine"] as? [[Double]])
            #expect(S.close(Matrix(summary.affine), affine), "\(name): \(summary.affine) vs \(affine)")

            let stats = try #require(ref["scaled_data"] as? [String: Any])
            #expect(summary.scaledData.shape == stats["shape"] as? [Int], "\(name)")
            for (key, ours) in [("sum", summary.scaledData.sum), ("min", summary.scaledData.min),
                                ("max", summary.scaledData.max), ("mean", summary.scaledData.mean)] {
                let theirs = try #require(stats[key] as? Double)
                // Unscaled integer data: sums and extremes are integers, compared exactly.
                if summary.sclSlope == nil || (summary.sclSlope == 1 && summary.sclInter == 0), key != "mean" {
                    #expect(ours == theirs, "\(name) \(key): \(ours) vs \(theirs)")
                } else {
                    #expect(S.close(ours, theirs), "\(name) \(key): \(ours) vs \(theirs)")
                }
            }
        }
    }

    /// reference/nifti.json has scl_slope / scl_inter null for every file, because `nib.load`
    /// resets the loaded image header's scaling; the file header's own scaling comes from
    /// tools/nifti_reference_cases.py (`Nifti1Header.from_fileobj(...).get_slope_inter()`).
    @Test(.enabled(if: RealData.available, RealData.skipReason))
    func scalingAgreesWithNibabelsFileHeader() throws {
        let table = NIfTITestSupport.generated.realdataHeaderScaling
        #expect(table.count == Self.referenceFiles.count)
        for (name, expected) in table {
            let summary = try NIfTISummary(contentsOf: RealData.url("nifti/\(name)"))
            #expect(summary.sclSlope == expected.sclSlope, "\(name)")
            #expect(summary.sclInter == expected.sclInter, "\(name)")
        }
    }

    @Test(.enabled(if: RealData.available, RealData.skipReason))
    func volumesAgreeWithNibabelSamplesAndAffine() throws {
        for ref in try RealData.reference("nifti") {
            let name = try #require(ref["file"] as? String)
            let image = try NIfTIReader.read(contentsOf: RealData.url("nifti/\(name)"))
            let shape = try #require(ref["shape"] as? [Int])
            let volume = image.volume
            #expect([volume.size.x, volume.size.y, volume.size.z] == Array(shape.prefix(3)), "\(name)")
            #expect(volume.phases == (shape.count > 3 ? shape[3] : 1), "\(name)")
            let affine = try #require(ref["affine"] as? [[Double]])
            #expect(S.close(volume.geometry.rasAffine, affine), "\(name)")
            let stats = try #require(ref["scaled_data"] as? [String: Any])
            // Every sample and the position checksum over (i, j, k[, t]) in C order; float32
            // samples against nibabel's float64 scaling, so relative 1e-6.
            #expect(stats["shape"] as? [Int] == shape, "\(name)")
            let problems = RealData.positionMismatches(stats, relative: 1e-6) { Self.value(volume, $0) }
            #expect(problems.isEmpty, "\(name): \(problems.joined(separator: "; "))")
            // Float32 samples against the double-precision statistics.
            let sum = volume.samples.reduce(0.0) { $0 + Double($1) }
            #expect(S.close(sum, try #require(stats["sum"] as? Double), rel: 1e-6), "\(name)")
        }
    }

    /// Our sample at nibabel's index (i, j, k[, t]).
    static func value(_ volume: Volume, _ index: [Int]) -> Double {
        Double(volume[index[0], index[1], index[2], phase: index.count > 3 ? index[3] : 0])
    }

    /// The broken variants the old check (three diagonal samples, sums, extremes) passed: the
    /// two volumes of example4d.nii.gz swapped, and the j axis flipped, fail the position checks.
    @Test(.enabled(if: RealData.available, RealData.skipReason))
    func swappedVolumesOrAFlippedAxisFail() throws {
        let ref = try #require(try RealData.reference("nifti").first { $0["file"] as? String == "example4d.nii.gz" })
        let stats = try #require(ref["scaled_data"] as? [String: Any])
        let volume = try NIfTIReader.read(contentsOf: RealData.url("nifti/example4d.nii.gz")).volume
        let ny = volume.size.y
        #expect(RealData.positionMismatches(stats, relative: 1e-6) { Self.value(volume, $0) }.isEmpty)
        #expect(!RealData.positionMismatches(stats, relative: 1e-6) { Self.value(volume, [$0[0], $0[1], $0[2], 1 - $0[3]]) }.isEmpty)
        #expect(!RealData.positionMismatches(stats, relative: 1e-6) { Self.value(volume, [$0[0], ny - 1 - $0[1], $0[2], $0[3]]) }.isEmpty)
    }

    /// The `inspect --json` object: the contract's keys in the contract's order.
    @Test(.enabled(if: RealData.available, RealData.skipReason))
    func jsonKeysAreTheContract() throws {
        let summary = try NIfTISummary(contentsOf: RealData.url("nifti/anatomical.nii"))
        let text = summary.orderedJSON
        let keys = ["format", "shape", "datatype", "zooms", "sclSlope", "sclInter", "qformCode", "sformCode",
                    "affine", "scaledData"]
        let positions = keys.map { text.range(of: "\"\($0)\":")?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(Set(object.keys) == Set(keys))
        let stats = try #require(object["scaledData"] as? [String: Any])
        #expect(Set(stats.keys) == ["shape", "sum", "min", "max", "mean"])
        #expect(text.contains("\"scaledData\":{\"shape\":[33,41,25],\"sum\":284166082,\"min\":-610,\"max\":30393,"))
        // The plain Encodable form carries the same keys (for encoders that keep order).
        let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(summary)) as? [String: Any]
        #expect(Set(encoded?.keys.map { $0 } ?? []) == Set(keys))
    }
}
