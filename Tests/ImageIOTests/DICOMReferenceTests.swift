import Foundation
import Testing
@testable import ImageIO

/// Agreement with pydicom 3.0.2 on the real files of ../shared/realdata (reference values in
/// reference/dicom.json and dicom-series.json, made by pydicom; see that folder's README).
@Suite(.enabled(if: RealData.available, RealData.skipReason))
struct DICOMReferenceTests {
    static func close(_ a: Double, _ b: Double, _ rel: Double = 1e-6) -> Bool {
        abs(a - b) <= rel * max(abs(a), abs(b), 1e-300)
    }

    static func double(_ any: Any?) -> Double? { (any as? NSNumber)?.doubleValue }

    static func doubles(_ any: Any?) -> [Double]? { (any as? [Any])?.compactMap { double($0) } }

    /// Compares what the reader saw with one reference object; returns the mismatches.
    static func mismatches(_ ref: [String: Any], _ summary: DICOMSummary, _ pixels: DICOMPixels) -> [String] {
        var bad: [String] = []
        func expectInt(_ key: String, _ ours: Int?) {
            let theirs = double(ref[key]).map { Int($0) }
            if theirs != ours { bad.append("\(key): ours \(String(describing: ours)) pydicom \(String(describing: theirs))") }
        }
        func expectDouble(_ key: String, _ ours: Double?) {
            let theirs = double(ref[key])
            switch (ours, theirs) {
            case (nil, nil): break
            case let (a?, b?) where close(a, b): break
            default: bad.append("\(key): ours \(String(describing: ours)) pydicom \(String(describing: theirs))")
            }
        }
        func expectDoubles(_ key: String, _ ours: [Double]?) {
            let theirs = doubles(ref[key])
            switch (ours, theirs) {
            case (nil, nil): break
            case let (a?, b?) where a.count == b.count && zip(a, b).allSatisfy({ close($0, $1) }): break
            default: bad.append("\(key): ours \(String(describing: ours)) pydicom \(String(describing: theirs))")
            }
        }
        if summary.transferSyntax != ref["transfer_syntax"] as? String { bad.append("transfer_syntax") }
        expectInt("rows", summary.rows)
        expectInt("columns", summary.columns)
        // pydicom reports None when Number of Frames is absent; the reader then decodes 1 frame.
        if ref["number_of_frames"] is NSNull { if summary.frames != 1 { bad.append("frames \(String(describing: summary.frames)) for an absent Number of Frames") } }
        else { expectInt("number_of_frames", summary.frames) }
        expectInt("bits_allocated", summary.bitsAllocated)
        expectInt("bits_stored", summary.bitsStored)
        expectInt("pixel_representation", summary.pixelRepresentation)
        expectDouble("rescale_slope", summary.rescaleSlope)
        expectDouble("rescale_intercept", summary.rescaleIntercept)
        expectDoubles("pixel_spacing", summary.pixelSpacing)
        expectDouble("slice_thickness", summary.sliceThickness)
        expectDoubles("image_position_patient", summary.imagePositionPatient)
        expectDoubles("image_orientation_patient", summary.imageOrientationPatient)
        expectDouble("repetition_time", summary.repetitionTime)
        expectDouble("echo_time", summary.echoTime)
        if summary.seriesDescription != ref["series_description"] as? String { bad.append("series_description: ours \(String(describing: summary.seriesDescription))") }
        if summary.seriesInstanceUID != ref["series_instance_uid"] as? String { bad.append("series_instance_uid") }

        guard let sp = ref["stored_pixels"] as? [String: Any], let stats = summary.storedPixels else {
            bad.append("stored_pixels missing")
            return bad
        }
        // pydicom's shape drops the frame axis of a single frame; ours always has it.
        var shape = stats.shape
        if let theirs = sp["shape"] as? [Int], theirs.count == 2, shape.first == 1 { shape.removeFirst() }
        if shape != sp["shape"] as? [Int] { bad.append("shape: ours \(stats.shape) pydicom \(String(describing: sp["shape"]))") }
        if Double(stats.sum) != double(sp["sum"]) { bad.append("sum: ours \(stats.sum) pydicom \(String(describing: sp["sum"]))") }
        if Double(stats.min) != double(sp["min"]) { bad.append("min: ours \(stats.min)") }
        if Double(stats.max) != double(sp["max"]) { bad.append("max: ours \(stats.max)") }
        if let m = double(sp["mean"]), !close(stats.mean, m) { bad.append("mean: ours \(stats.mean) pydicom \(m)") }
        // Every sample and the position checksum, exactly (stored values are integers).
        if shape == sp["shape"] as? [Int] {
            bad += RealData.positionMismatches(sp) { Double(storedValue(pixels, at: $0)) }
        }
        return bad
    }

    /// Our stored value at a pydicom index, (frame, row, column) or (row, column).
    static func storedValue(_ pixels: DICOMPixels, at index: [Int]) -> Int32 {
        let (f, r, c) = index.count == 3 ? (index[0], index[1], index[2]) : (0, index[0], index[1])
        return pixels.storedValues[c + pixels.columns * (r + pixels.rows * f)]
    }

    /// Reads one reference file and checks it against pydicom; compressed files must decode to
    /// the same stored values (exact sums: every real compressed file here is lossless).
    static func check(_ ref: [String: Any], at url: URL) {
        let name = url.lastPathComponent
        let syntax = ref["transfer_syntax"] as? String ?? ""
        let compressed = DICOMTransferSyntax(uid: syntax).isEncapsulated
        if ref["stored_pixels"] is NSNull || ref["stored_pixels"] == nil {
            // The bad inputs: pydicom refused their pixels; so must we, with an ImageIOError.
            do {
                _ = try DICOMReader.readFile(url)
                Issue.record("\(name): read although pydicom refused its pixel data (\(ref["pixel_error"] ?? ""))")
            } catch let error as ImageIOError {
                let text = String(describing: error)
                #expect(text.contains(name), "\(name): the error should name the file: \(text)")
                if name == "MR_truncated.dcm" {
                    guard case .truncated = error else { Issue.record("\(name): expected .truncated, got \(text)"); return }
                }
                if name == "badVR.dcm" {
                    #expect(text.contains("(0028,0008)") && text.contains("1A"), "\(name): the error should name the tag and value: \(text)")
                }
            } catch {
                Issue.record("\(name): threw a non-ImageIOError \(error)")
            }
            return
        }
        // Compressed or not, the decoded stored values must equal pydicom's (with its JPEG
        // plugins): shape, exact sum, min, max and the sampled values — a refusal is a failure.
        do {
            let file = try DICOMReader.readFile(url)
            guard let pixels = file.pixels else { Issue.record("\(name): no pixels"); return }
            let problems = mismatches(ref, try DICOMSummary(file), pixels)
            #expect(problems.isEmpty, "\(name) (\(compressed ? DICOMTransferSyntax.name(of: syntax) : "native")): \(problems.joined(separator: "; "))")
        } catch {
            Issue.record("\(name) (\(syntax)): \(error)")
        }
    }

    @Test func singleFilesAgreeWithPydicom() throws {
        let refs = try RealData.reference("dicom")
        #expect(refs.count == 17)
        for ref in refs {
            guard let name = ref["file"] as? String else { continue }
            Self.check(ref, at: RealData.url("dicom/\(name)"))
        }
    }

    @Test func seriesFilesAgreeWithPydicom() throws {
        let refs = try RealData.reference("dicom-series")
        #expect(refs.count == 10)
        for ref in refs {
            guard let name = ref["file"] as? String else { continue }
            let folder = FileManager.default.fileExists(atPath: RealData.url("dicom-series/MR1/\(name)").path) ? "MR1" : "MR2"
            Self.check(ref, at: RealData.url("dicom-series/\(folder)/\(name)"))
        }
    }

    /// The files named in the README exist with the reference's hashes' names (a guard against
    /// comparing with the wrong files).
    @Test func everyRealFileHasAReference() throws {
        let names = Set(try RealData.reference("dicom").compactMap { $0["file"] as? String })
        let present = try FileManager.default.contentsOfDirectory(atPath: RealData.url("dicom").path)
        #expect(Set(present) == names)
    }

    @Test func inspectJSONHasTheContractKeysInOrder() throws {
        let summary = try DICOMSummary(contentsOf: RealData.url("dicom/MR_small.dcm"))
        let json = summary.orderedJSON()
        let keys = ["format", "transferSyntax", "rows", "columns", "frames", "bitsAllocated", "bitsStored",
                    "pixelRepresentation", "rescaleSlope", "rescaleIntercept", "pixelSpacing", "sliceThickness",
                    "imagePositionPatient", "imageOrientationPatient", "repetitionTime", "echoTime",
                    "seriesDescription", "seriesInstanceUID", "storedPixels"]
        var at = json.startIndex
        for key in keys {
            guard let r = json.range(of: "\"\(key)\":", range: at..<json.endIndex) else {
                Issue.record("key \(key) missing or out of order in \(json)"); return
            }
            at = r.upperBound
        }
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect(object?.count == keys.count)
        #expect(object?["rescaleSlope"] is NSNull)
        #expect((object?["storedPixels"] as? [String: Any])?["shape"] as? [Int] == [1, 64, 64])
    }

    /// The broken variant the old check passed: MR_small's 64 × 64 frame transposed keeps the
    /// sum, the extremes and the three diagonal samples, so only the off-diagonal samples and the
    /// position checksum catch it; a frame shifted by one column is caught the same way.
    @Test func aTransposedOrShiftedFrameFails() throws {
        let ref = try #require(try RealData.reference("dicom").first { $0["file"] as? String == "MR_small.dcm" })
        let sp = try #require(ref["stored_pixels"] as? [String: Any])
        let pixels = try #require(try DICOMReader.readFile(RealData.url("dicom/MR_small.dcm")).pixels)
        let size = pixels.columns
        #expect(pixels.rows == size && size == 64)
        let transposed: ([Int]) -> Double = { Double(Self.storedValue(pixels, at: [$0[1], $0[0]])) }
        let shifted: ([Int]) -> Double = { Double(Self.storedValue(pixels, at: [$0[0], ($0[1] + 1) % size])) }
        // The old check: the three diagonal samples (the first three of the list).
        let diagonal = try #require(sp["samples"] as? [[String: Any]]).prefix(3)
        let oldCheckPasses = diagonal.allSatisfy { s in
            guard let i = s["index"] as? [Int], let v = Self.double(s["value"]) else { return false }
            return transposed(i) == v
        }
        #expect(oldCheckPasses)
        #expect(!RealData.positionMismatches(sp, value: transposed).isEmpty)
        #expect(!RealData.positionMismatches(sp, value: shifted).isEmpty)
        #expect(RealData.positionMismatches(sp) { Double(Self.storedValue(pixels, at: $0)) }.isEmpty)
    }
}
