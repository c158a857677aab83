import Foundation
import Testing
import Volumes
@testable import ImageIO

/// Each fault a file can have gets its own clear `ImageIOError` naming the file.
@Suite struct NIfTIBadInputTests {
    typealias S = NIfTITestSupport

    /// A valid little-endian NIfTI-1 file: 4 × 3 × 2 int16, slope 2, inter 1.
    static func validFile() throws -> [UInt8] {
        let v = try Volume(size: SIMD3(4, 3, 2), samples: (0..<24).map { Float($0) * 2 + 1 })
        return [UInt8](try NIfTIWriter.encode(v, datatype: .int16, sclSlope: 2, sclInter: 1, description: "", file: "t"))
    }

    static func put<T: FixedWidthInteger>(_ value: T, at offset: Int, in bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { for (i, b) in $0.enumerated() { bytes[offset + i] = b } }
    }

    static func putFloat(_ value: Float, at offset: Int, in bytes: inout [UInt8]) {
        put(value.bitPattern, at: offset, in: &bytes)
    }

    /// Writes `bytes`, reads them both ways, and returns the reader's error.
    static func failure(_ bytes: [UInt8], name: String = "bad.nii") throws -> ImageIOError? {
        let folder = try S.scratchFolder("bad")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        var summaryError: ImageIOError?
        do { _ = try NIfTISummary(contentsOf: url) } catch let e as ImageIOError { summaryError = e }
        do {
            _ = try NIfTIReader.read(contentsOf: url)
            return nil
        } catch let error as ImageIOError {
            #expect(String(describing: error).hasPrefix(url.path), "the message names the file: \(error)")
            if let summaryError { #expect(summaryError == error) }
            return error
        }
    }

    @Test func validFileReads() throws {
        #expect(try Self.failure(Self.validFile()) == nil)
    }

    @Test func truncatedFiles() throws {
        let good = try Self.validFile()
        for length in [0, 3, 100, 347] {
            guard case .truncated = try Self.failure(Array(good.prefix(length))) else {
                Issue.record("length \(length) not refused as truncated"); continue
            }
        }
        guard case .truncated(_, let reason) = try Self.failure(Array(good.dropLast(1))) else {
            Issue.record("short data not refused"); return
        }
        #expect(reason.contains("48 bytes"))
    }

    @Test func wrongMagicAndSize() throws {
        var bytes = try Self.validFile()
        bytes[344] = UInt8(ascii: "x")
        guard case .notRecognised(_, let reason) = try Self.failure(bytes) else { Issue.record("magic"); return }
        #expect(reason.contains("magic"))
        var analyze = try Self.validFile()
        for i in 344..<348 { analyze[i] = 0 }
        guard case .notRecognised(_, let why) = try Self.failure(analyze) else { Issue.record("analyze"); return }
        #expect(why.contains("Analyze"))
        var size = try Self.validFile()
        Self.put(Int32(349), at: 0, in: &size)
        guard case .notRecognised = try Self.failure(size) else { Issue.record("sizeof_hdr"); return }
    }

    @Test(arguments: [Int16(0), 8, -1, 300])
    func dimZeroOutOfRange(_ value: Int16) throws {
        var bytes = try Self.validFile()
        Self.put(value, at: 40, in: &bytes)
        guard case .invalidHeader(_, "dim[0]", _) = try Self.failure(bytes) else { Issue.record("dim[0] = \(value) read"); return }
    }

    @Test func nonPositiveExtent() throws {
        for value: Int16 in [0, -5] {
            var bytes = try Self.validFile()
            Self.put(value, at: 42, in: &bytes)
            guard case .invalidHeader(_, "dim[1]", _) = try Self.failure(bytes) else { Issue.record("dim[1] = \(value)"); continue }
        }
    }

    @Test func absurdDimensionsAreRefusedBeforeAllocating() throws {
        var bytes = try Self.validFile()
        for (i, d) in [4, 32767, 32767, 32767, 32767].enumerated() { Self.put(Int16(d), at: 40 + 2 * i, in: &bytes) }
        guard case .tooLarge = try Self.failure(bytes) else { Issue.record("not refused as too large"); return }
        // Within the limits but far beyond the file: truncated, found before allocating.
        var big = try Self.validFile()
        for (i, d) in [3, 2000, 2000, 100].enumerated() { Self.put(Int16(d), at: 40 + 2 * i, in: &big) }
        guard case .truncated = try Self.failure(big) else { Issue.record("not refused as truncated"); return }
    }

    @Test func extraDimensionsAreRefused() throws {
        var bytes = try Self.validFile()
        Self.put(Int16(5), at: 40, in: &bytes)
        Self.put(Int16(1), at: 48, in: &bytes)
        Self.put(Int16(2), at: 50, in: &bytes)
        guard case .unsupported(_, let reason) = try Self.failure(bytes) else { Issue.record("dim[5] = 2 read"); return }
        #expect(reason.contains("dim[5]"))
    }

    @Test(arguments: [(32, "complex64"), (128, "RGB24"), (1024, "int64"), (7, "unknown")])
    func unsupportedDatatypes(code: Int16, name: String) throws {
        var bytes = try Self.validFile()
        Self.put(code, at: 70, in: &bytes)
        guard case .unsupported(_, let reason) = try Self.failure(bytes) else { Issue.record("code \(code) read"); return }
        #expect(reason.contains("datatype code \(code)") && reason.contains(name), "\(reason)")
    }

    @Test(arguments: [Float(0), -1, .nan, .infinity])
    func badVoxelSizes(_ value: Float) throws {
        for axis in 1...3 {
            var bytes = try Self.validFile()
            Self.putFloat(value, at: 76 + 4 * axis, in: &bytes)
            guard case .invalidHeader(_, "pixdim[\(axis)]", _) = try Self.failure(bytes) else {
                Issue.record("pixdim[\(axis)] = \(value) read"); continue
            }
        }
    }

    @Test func unusedAxisVoxelSizeIsRepairedAsNibabelDoes() throws {
        // A 2-D image: pixdim[3] is not used; nibabel sets 0 to 1 and the file reads.
        var bytes = try Self.validFile()
        Self.put(Int16(2), at: 40, in: &bytes)
        Self.putFloat(0, at: 88, in: &bytes)
        Self.put(Int16(0), at: 252, in: &bytes)
        Self.put(Int16(0), at: 254, in: &bytes)
        #expect(try Self.failure(bytes) == nil)
    }

    @Test func scaling() throws {
        // NaN intercept with a valid slope: the values would all be NaN.
        var nanInter = try Self.validFile()
        Self.putFloat(.nan, at: 116, in: &nanInter)
        guard case .invalidHeader(_, "scl_inter", _) = try Self.failure(nanInter) else { Issue.record("NaN inter read"); return }
        // NaN or zero slope: unscaled, whatever the intercept (nibabel's rule).
        for slope in [Float.nan, 0, .infinity] {
            var bytes = try Self.validFile()
            Self.putFloat(slope, at: 112, in: &bytes)
            Self.putFloat(.nan, at: 116, in: &bytes)
            let folder = try S.scratchFolder("slope")
            defer { try? FileManager.default.removeItem(at: folder) }
            let url = folder.appendingPathComponent("s.nii")
            try Data(bytes).write(to: url)
            let image = try NIfTIReader.read(contentsOf: url)
            #expect(image.volume.samples == (0..<24).map { Float($0) }, "slope \(slope)")
            let summary = try NIfTISummary(contentsOf: url)
            #expect(summary.sclSlope == nil && summary.sclInter == nil)
        }
    }

    @Test func voxOffset() throws {
        for (value, expectTruncated) in [(Float(100), false), (.nan, false), (-352, false), (1e9, true), (1e30, false)] {
            var bytes = try Self.validFile()
            Self.putFloat(value, at: 108, in: &bytes)
            let error = try Self.failure(bytes)
            switch error {
            case .truncated?: #expect(expectTruncated, "\(value)")
            case .invalidHeader(_, "vox_offset", _)?: #expect(!expectTruncated, "\(value)")
            default: Issue.record("vox_offset \(value): \(String(describing: error))")
            }
        }
    }

    @Test func notAUnitQuaternion() throws {
        var bytes = try Self.validFile()
        Self.put(Int16(0), at: 254, in: &bytes) // sform off: the qform decides
        for i in 0..<3 { Self.putFloat(0.9, at: 256 + 4 * i, in: &bytes) }
        guard case .invalidHeader(_, "quatern_b/c/d", _) = try Self.failure(bytes) else { Issue.record("quaternion"); return }
    }

    @Test func degenerateSform() throws {
        var bytes = try Self.validFile()
        for i in 0..<12 { Self.putFloat(0, at: 280 + 4 * i, in: &bytes) }
        guard case .invalidHeader(_, let field, _) = try Self.failure(bytes) else { Issue.record("zero sform read"); return }
        #expect(field.hasPrefix("sform"))
    }

    @Test func nifti2EndOfLineCheck() throws {
        let nifti2 = try #require(S.generated.cases.first { $0.expected.format == "nifti2" && !$0.name.hasSuffix(".gz") })
        var bytes = try #require([UInt8](base64Encoded: nifti2.files[nifti2.name] ?? ""))
        #expect(try Self.failure(bytes) == nil)
        bytes[8] = 0x0A // "\r\n" became "\n\n": a text-mode transfer
        guard case .invalidHeader(_, let field, _) = try Self.failure(bytes) else { Issue.record("eol"); return }
        #expect(field.contains("end-of-line"))
    }

    @Test func corruptGzip() throws {
        var gz = [UInt8](try Zlib.deflate(Data(try Self.validFile()), framing: .gzipOrZlib))
        gz[gz.count / 2] ^= 0xFF
        gz[gz.count / 2 + 1] ^= 0x5A
        let error = try Self.failure(gz, name: "bad.nii.gz")
        switch error {
        case .compression?, .truncated?: break
        default: Issue.record("corrupt gzip: \(String(describing: error))")
        }
        let half = [UInt8](try Zlib.deflate(Data(try Self.validFile()), framing: .gzipOrZlib)).prefix(40)
        #expect(try Self.failure(Array(half), name: "half.nii.gz") != nil)
    }

    @Test func missingPairImage() throws {
        let pair = try #require(S.generated.cases.first { $0.name.hasSuffix(".hdr") })
        let folder = try S.scratchFolder("pair")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try pair.materialise(in: folder)
        try FileManager.default.removeItem(at: url.deletingPathExtension().appendingPathExtension("img"))
        #expect(throws: ImageIOError.self) { try NIfTIReader.read(contentsOf: url) }
    }
}

extension Array where Element == UInt8 {
    init?(base64Encoded text: String) {
        guard let data = Data(base64Encoded: text) else { return nil }
        self = [UInt8](data)
    }
}
