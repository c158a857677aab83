import Foundation
import Testing
@testable import ImageIO

/// The compressed files of `../shared/realdata/dicom` decode to exactly the stored pixels pydicom
/// (+ pylibjpeg, pylibjpeg-openjpeg, pylibjpeg-libjpeg) gives: `reference/dicom.json`.
@Suite("Codecs on real files")
struct CodecRealDataTests {
    static let losslessFiles = [
        "MR_small_RLE.dcm", "emri_small_RLE.dcm", "MR_small_jp2klossless.dcm", "emri_small_jpeg_2k_lossless.dcm",
        "MR2_J2KR.dcm", "MR_small_jpeg_ls_lossless.dcm", "JPEG-LL.dcm",
    ]

    @Test("lossless syntaxes match pydicom exactly", .enabled(if: RealData.available, RealData.skipReason),
          arguments: losslessFiles)
    func lossless(_ name: String) throws {
        let reference = try #require(try RealData.reference("dicom").first { ($0["file"] as? String) == name })
        let expected = try #require(reference["stored_pixels"] as? [String: Any])
        let syntax = try #require(reference["transfer_syntax"] as? String)
        let frame = CodecTestFile.frameInfo(reference)
        let frameCount = Int((reference["number_of_frames"] as? Double) ?? 1)
        let path = RealData.url("dicom/\(name)").path
        let encapsulated = try CodecTestFile.encapsulated(try Data(contentsOf: URL(fileURLWithPath: path)))
        let frames = encapsulated.frames(count: frameCount)
        #expect(frames.count == frameCount)

        var all: [Int32] = []
        for fragments in frames {
            let values = try decodeCompressedFrame(fragments, transferSyntax: syntax, frame: frame, file: path)
            #expect(values.count == frame.rows * frame.columns)
            all += values
        }
        let stats = CodecTestFile.Statistics(all)
        #expect(stats.sum == expected["sum"] as? Double)
        #expect(stats.min == expected["min"] as? Double)
        #expect(stats.max == expected["max"] as? Double)
        #expect(abs(stats.mean - ((expected["mean"] as? Double) ?? .nan)) <= 1e-9 * abs(stats.mean))
        for sample in (expected["samples"] as? [[String: Any]]) ?? [] {
            let index = (sample["index"] as? [Int]) ?? []
            let flat = (index.count == 3
                ? (index[0] * frame.rows + index[1]) * frame.columns + index[2]
                : index[0] * frame.columns + index[1])
            #expect(Double(all[flat]) == sample["value"] as? Double, "sample at \(index)")
        }
    }

    @Test("an unsupported transfer syntax is refused, naming its UID and name")
    func unsupportedSyntax() {
        let frame = DICOMFrameInfo(rows: 4, columns: 4, bitsAllocated: 16, bitsStored: 16, pixelRepresentation: 0,
                                   samplesPerPixel: 1, photometric: "MONOCHROME2")
        for uid in ["1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.100", "1.2.3.4.5"] {
            do {
                _ = try decodeCompressedFrame([Data([1, 2, 3])], transferSyntax: uid, frame: frame, file: "x.dcm")
                Issue.record("\(uid) decoded")
            } catch let error as ImageIOError {
                guard case .unsupported(let file, let reason) = error else { Issue.record("\(error)"); continue }
                #expect(file == "x.dcm")
                #expect(reason.contains(uid))
            } catch { Issue.record("\(error)") }
        }
    }

    @Test("colour frames are refused with a clear error")
    func colourRefused() {
        let frame = DICOMFrameInfo(rows: 4, columns: 4, bitsAllocated: 8, bitsStored: 8, pixelRepresentation: 0,
                                   samplesPerPixel: 3, photometric: "YBR_FULL_422")
        #expect(throws: ImageIOError.self) {
            try decodeCompressedFrame([Data([0xFF, 0xD8])], transferSyntax: "1.2.840.10008.1.2.4.50", frame: frame, file: "c.dcm")
        }
    }
}
