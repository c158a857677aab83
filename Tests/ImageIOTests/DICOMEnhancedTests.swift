import Foundation
import Testing
import Volumes
@testable import ImageIO

/// Enhanced MR multi-frame files: per-frame attributes from the functional groups and the
/// volume they assemble into, compared with pydicom 3.0.2 (fixtures/dicom/enhanced_reference.json,
/// made by tools/dicom_enhanced_reference.py).
struct DICOMEnhancedTests {
    static func double(_ any: Any?) -> Double? { (any as? NSNumber)?.doubleValue }
    static func doubles(_ any: Any?) -> [Double]? { (any as? [Any])?.compactMap { double($0) } }

    static func reference(_ name: String) throws -> [String: Any] {
        let refs = try DICOMFixtures.reference("enhanced_reference.json").files
        return try #require(refs.first { $0["file"] as? String == name }, "no reference for \(name)")
    }

    static func url(of ref: [String: Any]) -> URL {
        let name = ref["file"] as? String ?? ""
        return ref["source"] as? String == "realdata" ? RealData.url("dicom/\(name)") : DICOMFixtures.url(name)
    }

    /// Per-frame attributes against pydicom's; positions to 1e-4 mm, the rest to 1e-9.
    static func mismatches(_ ours: [DICOMFrameAttributes], _ theirs: [[String: Any]]) -> [String] {
        var bad: [String] = []
        guard ours.count == theirs.count else { return ["\(ours.count) frames; pydicom \(theirs.count)"] }
        for (f, (a, r)) in zip(ours, theirs).enumerated() {
            func vector(_ key: String, _ v: [Double]?, _ tolerance: Double) {
                let w = doubles(r[key]) ?? double(r[key]).map { [$0] }
                switch (v, w) {
                case (nil, nil): break
                case let (x?, y?) where x.count == y.count && zip(x, y).allSatisfy({ abs($0 - $1) <= tolerance }): break
                default: bad.append("frame \(f) \(key): ours \(String(describing: v)) pydicom \(String(describing: w))")
                }
            }
            vector("image_position_patient", a.imagePositionPatient, 1e-4)
            vector("image_orientation_patient", a.imageOrientationPatient, 1e-9)
            vector("pixel_spacing", a.pixelSpacing, 1e-9)
            vector("slice_thickness", a.sliceThickness.map { [$0] }, 1e-9)
            vector("spacing_between_slices", a.spacingBetweenSlices.map { [$0] }, 1e-9)
            if double(r["temporal_position_index"]).map(Int.init) != a.temporalPosition {
                bad.append("frame \(f) temporal position: ours \(String(describing: a.temporalPosition))")
            }
            if (r["dimension_index_values"] as? [Int]) != a.dimensionIndexValues {
                bad.append("frame \(f) dimension index values: ours \(String(describing: a.dimensionIndexValues))")
            }
            if let dt = r["frame_acquisition_datetime"] as? String, dt != a.acquisitionDateTime {
                bad.append("frame \(f) acquisition datetime: ours \(String(describing: a.acquisitionDateTime)) pydicom \(dt)")
            }
            if abs((double(r["rescale_slope"]) ?? 1) - a.rescaleSlope) > 1e-12 { bad.append("frame \(f) slope \(a.rescaleSlope)") }
            if abs((double(r["rescale_intercept"]) ?? 0) - a.rescaleIntercept) > 1e-12 { bad.append("frame \(f) intercept \(a.rescaleIntercept)") }
        }
        return bad
    }

    /// Stored sums of every frame against pydicom's pixel_array.
    static func frameSums(_ pixels: DICOMPixels) -> [Int64] {
        (0..<pixels.frames).map { f in pixels.frame(f).reduce(Int64(0)) { $0 + Int64($1) } }
    }

    // MARK: the real files (no functional groups at all)

    /// emri_small*.dcm: 10 frames of 64 × 64; pydicom finds no functional groups and no geometry
    /// in them, and neither do we; a volume cannot be placed, so reading one is refused by name.
    @Test(.enabled(if: RealData.available, RealData.skipReason),
          arguments: ["emri_small.dcm", "emri_small_big_endian.dcm", "emri_small_RLE.dcm", "emri_small_jpeg_2k_lossless.dcm"])
    func realEnhancedFilesGiveTenFramesWithTheirGeometry(name: String) throws {
        let ref = try Self.reference(name)
        let url = Self.url(of: ref)
        let header = try DICOMReader.readHeader(url)
        let frames = try DICOMFrameAttributes.frames(of: header)
        #expect(frames.count == 10)
        #expect(ref["has_functional_groups"] as? Bool == false)
        let theirs = try #require(ref["frames"] as? [[String: Any]])
        let problems = Self.mismatches(frames, theirs)
        #expect(problems.isEmpty, "\(problems)")

        // Every syntax of these four files has a codec: the pixels must equal pydicom's.
        let file = try DICOMReader.readFile(url)
        let pixels = try #require(file.pixels)
        #expect(pixels.frames == 10)
        // pydicom's per-frame sums of this file, or (JPEG 2000, which the reference venv cannot
        // decode) of emri_small.dcm, the same image uncompressed: reference/dicom.json gives
        // all four files one sum, min and max.
        var expected = theirs.compactMap { Self.double($0["stored_sum"]).map { Int64($0) } }
        if expected.count != 10 {
            let plain = try #require(try Self.reference("emri_small.dcm")["frames"] as? [[String: Any]])
            expected = plain.compactMap { Self.double($0["stored_sum"]).map { Int64($0) } }
        }
        #expect(expected.count == 10)
        #expect(Self.frameSums(pixels) == expected, "\(name): per-frame sums differ from pydicom's")

        do {
            _ = try DICOMReader.readVolume(url)
            Issue.record("\(name): a volume was placed without any geometry")
        } catch let ImageIOError.invalidHeader(file, field, reason) {
            #expect(file.hasSuffix(name) && field.contains("(0020,0037)") && reason.contains("frame 1"), "\(file) \(field) \(reason)")
        }
    }

    /// Fragments spanning frames without an offset table: the real JPEG 2000 Enhanced file with
    /// each frame's codestream cut into three fragments and its Basic Offset Table emptied still
    /// decodes to the same 10 frames (split at the EOC markers).
    @Test(.enabled(if: RealData.available, RealData.skipReason))
    func fragmentsSpanningFramesWithoutAnOffsetTable() throws {
        let url = RealData.url("dicom/emri_small_jpeg_2k_lossless.dcm")
        let bytes = [UInt8](try Data(contentsOf: url))
        let (_, value) = DICOMBadInputTests.elementStarts(bytes, encoding: "explicit")
        let start = try #require(value)
        func u32(_ i: Int) -> Int { Int(bytes[i]) | Int(bytes[i + 1]) << 8 | Int(bytes[i + 2]) << 16 | Int(bytes[i + 3]) << 24 }
        // Items (PS3.5 §A.4): FFFE,E000 + length; the first is the Basic Offset Table.
        var items: [[UInt8]] = []
        var pos = start
        while pos + 8 <= bytes.count, !(bytes[pos + 2] == 0xDD && bytes[pos + 3] == 0xE0) {
            let length = u32(pos + 4)
            items.append(Array(bytes[(pos + 8)..<(pos + 8 + length)]))
            pos += 8 + length
        }
        #expect(items.count == 11)
        func item(_ body: [UInt8]) -> [UInt8] { DICOMBytes.le16(0xFFFE) + DICOMBytes.le16(0xE000) + DICOMBytes.le32(UInt32(body.count)) + body }
        var rebuilt = Array(bytes[0..<start]) + item([])
        for fragment in items.dropFirst() {
            let a = fragment.count / 3 & ~1, b = 2 * fragment.count / 3 & ~1
            rebuilt += item(Array(fragment[0..<a])) + item(Array(fragment[a..<b])) + item(Array(fragment[b...]))
        }
        rebuilt += DICOMBytes.sequenceDelimiter
        let original = try DICOMReader.readFile(url)
        let split = try DICOMReader.read(rebuilt, path: "split.dcm", headerOnly: false)
        #expect(split.pixels?.frames == 10)
        #expect(split.pixels?.storedValues == original.pixels?.storedValues)
    }

    // MARK: fixtures with functional groups

    @Test(arguments: ["enhanced_oblique.dcm", "enhanced_oblique_implicit.dcm", "enhanced_oblique_big_endian.dcm", "enhanced_dce.dcm",
                      "enhanced_dce_phase2.dcm"])
    func framesAndVolumeAgreeWithPydicom(name: String) throws {
        let ref = try Self.reference(name)
        let url = Self.url(of: ref)
        let theirs = try #require(ref["frames"] as? [[String: Any]])
        let file = try DICOMReader.readFile(url)
        let frames = try DICOMFrameAttributes.frames(of: file)
        let problems = Self.mismatches(frames, theirs)
        #expect(problems.isEmpty, "\(problems)")
        let pixels = try #require(file.pixels)
        let sums = Self.frameSums(pixels)
        #expect(sums == theirs.compactMap { Self.double($0["stored_sum"]).map { Int64($0) } })
        // The header-only path sees the same frames.
        #expect(try DICOMFrameAttributes.frames(of: DICOMReader.readHeader(url)) == frames)

        let expected = try #require(ref["volume"] as? [String: Any])
        let volume = try DICOMReader.readVolume(url)
        let size = try #require(expected["size"] as? [Int])
        #expect(volume.size == SIMD3(size[0], size[1], size[2]))
        #expect(volume.phases == expected["phases"] as? Int)
        let origin = try #require(Self.doubles(expected["origin"]))
        let spacing = try #require(Self.doubles(expected["spacing"]))
        let columns = try #require(expected["direction_columns"] as? [[Double]])
        let g = volume.geometry
        for c in 0..<3 {
            #expect(abs(g.origin[c] - origin[c]) <= 1e-4, "origin \(c): \(g.origin[c]) vs \(origin[c])")
            #expect(abs(g.spacing[c] - spacing[c]) <= 1e-6, "spacing \(c): \(g.spacing[c]) vs \(spacing[c])")
            for r in 0..<3 { #expect(abs(g.direction[r, c] - columns[c][r]) <= 1e-6, "direction[\(r),\(c)]") }
        }
        // Each slice (k, t) holds the frame pydicom's plain sort puts there, rescaled by that frame's LUT.
        let order = try #require(expected["frame_order"] as? [Int])
        let n = volume.size.x * volume.size.y
        #expect(order.count == volume.size.z * volume.phases)
        for (slot, f) in order.enumerated() {
            let slice = volume.samples[(slot * n)..<((slot + 1) * n)]
            let ours = slice.reduce(0.0) { $0 + Double($1) }
            let a = frames[f]
            let want = Double(sums[f]) * a.rescaleSlope + a.rescaleIntercept * Double(n)
            #expect(abs(ours - want) <= 1e-6 * max(abs(want), 1), "slot \(slot) (frame \(f)): \(ours) vs \(want)")
        }
        let total = volume.samples.reduce(0.0) { $0 + Double($1) }
        let want = try #require(Self.double(expected["rescaled_sum"]))
        #expect(abs(total - want) <= 1e-6 * abs(want))
    }

    /// Every frame of the DCE fixture has its own slope: the phases must not share one.
    @Test func perFrameRescaleIsAppliedPerFrame() throws {
        let file = try DICOMReader.readHeader(DICOMFixtures.url("enhanced_dce.dcm"))
        let frames = try DICOMFrameAttributes.frames(of: file)
        #expect(Set(frames.map(\.rescaleSlope)) == [1, 1.5, 2])
        #expect(Set(frames.compactMap(\.temporalPosition)) == [1, 2, 3])
        let series = try DICOMSeries(files: [DICOMFixtures.url("enhanced_dce.dcm")])
        #expect(series.phases == 3 && series.slicesPerPhase == 4)
        for slice in series.slices { #expect(slice.rescaleSlope == 1 + 0.5 * Double(slice.phase)) }
    }

    /// Several Enhanced files of one series (one per phase, as some scanners write a dynamic
    /// series) assemble like single-frame files: frames are slices wherever they come from.
    @Test func framesOfSeveralFilesAssembleTogether() throws {
        let split = (1...3).map { DICOMFixtures.url("enhanced_dce_phase\($0).dcm") }
        let whole = try DICOMReader.readVolume(DICOMFixtures.url("enhanced_dce.dcm"))
        let parts = try DICOMReader.readSeries(split.reversed())
        #expect(parts.size == whole.size && parts.phases == 3)
        #expect(parts.samples == whole.samples)
        #expect(parts.geometry.origin == whole.geometry.origin && parts.geometry.spacing == whole.geometry.spacing)
        let want = try #require(Self.double((try Self.reference("enhanced_dce.dcm")["volume"] as? [String: Any])?["rescaled_sum"]))
        let total = parts.samples.reduce(0.0) { $0 + Double($1) }
        #expect(abs(total - want) <= 1e-6 * abs(want))

        let one = DICOMFixtures.url("enhanced_oblique.dcm")
        let volume = try DICOMReader.readSeries([one])
        #expect(volume.size.z == 10)
        // The same file twice: every position twice, with nothing telling the copies apart.
        do {
            _ = try DICOMReader.readSeries([one, one])
            Issue.record("duplicate frames assembled")
        } catch let ImageIOError.inconsistentSeries(_, reason) {
            #expect(reason.contains("cannot be told apart") && reason.contains("enhanced_oblique.dcm"), "\(reason)")
        }
    }

    // MARK: broken Enhanced files

    @Test func brokenEnhancedFilesAreRefusedWithTheFault() throws {
        let cases: [(String, (ImageIOError) -> Bool)] = [
            ("enhanced_bad_missing_slice.dcm", {
                if case let .inconsistentSeries(_, r) = $0 { return r.contains("missing slice") && r.contains("frame ") }
                return false
            }),
            ("enhanced_bad_two_orientations.dcm", {
                if case let .inconsistentSeries(_, r) = $0 { return r.contains("different orientations") && r.contains("frame 7 of enhanced_bad_two_orientations.dcm") }
                return false
            }),
            ("enhanced_bad_frame_count.dcm", {
                if case let .invalidHeader(f, field, r) = $0 { return f.hasSuffix("enhanced_bad_frame_count.dcm") && field.contains("(0028,0008)") && r.contains("12 frames") && r.contains("10 items") }
                return false
            }),
            ("enhanced_bad_absurd_frames.dcm", {
                if case let .invalidHeader(f, _, r) = $0 { return f.hasSuffix("enhanced_bad_absurd_frames.dcm") && r.contains("2147483647") && r.contains("disagrees with the data") }
                if case let .tooLarge(f, _) = $0 { return f.hasSuffix("enhanced_bad_absurd_frames.dcm") }
                return false
            }),
        ]
        for (name, expected) in cases {
            do {
                _ = try DICOMReader.readVolume(DICOMFixtures.url(name))
                Issue.record("\(name) was read")
            } catch let error as ImageIOError {
                #expect(expected(error), "\(name): \(error)")
            }
            // pydicom's reading agrees that the file is broken (see the reference's error).
            let ref = try Self.reference(name)
            #expect(ref["error"] != nil || (ref["volume"] as? [String: Any])?["error"] != nil)
        }
        // The absurd count is refused by the pixel decoder too, before allocating.
        #expect(throws: ImageIOError.self) { _ = try DICOMReader.readFile(DICOMFixtures.url("enhanced_bad_absurd_frames.dcm")) }
    }
}
