import Foundation
import Testing
@testable import ImageIO

/// Byte-level builders for hand-made DICOM files (values from PS3.5, not from the reader).
enum DICOMBytes {
    static func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
    static func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(v >> (8 * UInt32($0)) & 0xFF) } }
    static func be16(_ v: Int) -> [UInt8] { le16(v).reversed() }
    static func be32(_ v: UInt32) -> [UInt8] { le32(v).reversed() }
    static let undefined: UInt32 = 0xFFFF_FFFF

    static func padded(_ s: String, _ pad: UInt8 = 0x20) -> [UInt8] {
        var b = Array(s.utf8)
        if b.count % 2 == 1 { b.append(pad) }
        return b
    }

    /// An explicit VR little endian element.
    static func explicit(_ g: Int, _ e: Int, _ vr: String, _ value: [UInt8], length: UInt32? = nil) -> [UInt8] {
        var out = le16(g) + le16(e) + Array(vr.utf8)
        if ["OB", "OW", "SQ", "UN", "UT", "OF", "OD", "OL", "UC", "UR"].contains(vr) {
            out += [0, 0] + le32(length ?? UInt32(value.count))
        } else {
            out += le16(value.count)
        }
        return out + value
    }

    /// An explicit VR big endian element.
    static func explicitBig(_ g: Int, _ e: Int, _ vr: String, _ value: [UInt8]) -> [UInt8] {
        var out = be16(g) + be16(e) + Array(vr.utf8)
        if ["OB", "OW", "SQ", "UN"].contains(vr) { out += [0, 0] + be32(UInt32(value.count)) } else { out += be16(value.count) }
        return out + value
    }

    /// An implicit VR little endian element.
    static func implicit(_ g: Int, _ e: Int, _ value: [UInt8], length: UInt32? = nil) -> [UInt8] {
        le16(g) + le16(e) + le32(length ?? UInt32(value.count)) + value
    }

    static func item(_ body: [UInt8], undefinedLength: Bool = false) -> [UInt8] {
        le16(0xFFFE) + le16(0xE000) + le32(undefinedLength ? undefined : UInt32(body.count)) + body
            + (undefinedLength ? le16(0xFFFE) + le16(0xE00D) + le32(0) : [])
    }

    static let sequenceDelimiter: [UInt8] = le16(0xFFFE) + le16(0xE0DD) + le32(0)

    /// Preamble, "DICM" and a file meta group naming `syntax`.
    static func preambleAndMeta(_ syntax: String) -> [UInt8] {
        let body = explicit(0x0002, 0x0001, "OB", [0, 1])
            + explicit(0x0002, 0x0002, "UI", padded("1.2.840.10008.5.1.4.1.1.4", 0))
            + explicit(0x0002, 0x0003, "UI", padded("1.2.3.4", 0))
            + explicit(0x0002, 0x0010, "UI", padded(syntax, 0))
        return [UInt8](repeating: 0, count: 128) + Array("DICM".utf8)
            + explicit(0x0002, 0x0000, "UL", le32(UInt32(body.count))) + body
    }

    /// Image pixel module elements (explicit VR LE) for a rows × columns single-frame image.
    static func imagePixel(rows: Int, columns: Int, bitsAllocated: Int, bitsStored: Int, signed: Bool) -> [UInt8] {
        explicit(0x0028, 0x0002, "US", le16(1)) + explicit(0x0028, 0x0004, "CS", padded("MONOCHROME2"))
            + explicit(0x0028, 0x0010, "US", le16(rows)) + explicit(0x0028, 0x0011, "US", le16(columns))
            + explicit(0x0028, 0x0100, "US", le16(bitsAllocated)) + explicit(0x0028, 0x0101, "US", le16(bitsStored))
            + explicit(0x0028, 0x0102, "US", le16(bitsStored - 1)) + explicit(0x0028, 0x0103, "US", le16(signed ? 1 : 0))
    }

    /// MR_small.dcm re-encoded as Deflated Explicit VR Little Endian: the same data set bytes,
    /// raw-deflated (PS3.5 §A.5), behind a meta group naming 1.2.840.10008.1.2.1.99.
    static func deflatedMRSmall() throws -> [UInt8] {
        let original = [UInt8](try Data(contentsOf: RealData.url("dicom/MR_small.dcm")))
        // Meta group length is the UL value of the first element after "DICM" (offset 140).
        let metaLength = Int(original[140]) | Int(original[141]) << 8 | Int(original[142]) << 16 | Int(original[143]) << 24
        let dataSet = Data(original[(144 + metaLength)...])
        let deflated = try Zlib.deflate(dataSet, framing: .raw)
        return preambleAndMeta("1.2.840.10008.1.2.1.99") + [UInt8](deflated)
    }
}

struct DICOMParserTests {
    static func read(_ bytes: [UInt8], headerOnly: Bool = false) throws -> DICOMFile {
        try DICOMReader.read(bytes, path: "test.dcm", headerOnly: headerOnly)
    }

    static let mrSmallSum: Int64 = 2_125_338 // pydicom 3.0.2, reference/dicom.json

    @Test(.enabled(if: RealData.available, RealData.skipReason))
    func deflatedExplicitLittleEndianReadsLikeTheOriginal() throws {
        let file = try Self.read(try DICOMBytes.deflatedMRSmall())
        #expect(file.transferSyntax.encoding == .deflatedExplicitLittle)
        let summary = try DICOMSummary(file)
        #expect(summary.storedPixels?.sum == Self.mrSmallSum)
        #expect(summary.imagePositionPatient == [-83.9063, -91.2, 6.6406])
    }

    @Test(.enabled(if: RealData.available, RealData.skipReason))
    func filesWithoutPreambleOrMetaStillRead() throws {
        let original = [UInt8](try Data(contentsOf: RealData.url("dicom/MR_small.dcm")))
        // No preamble, but "DICM" and the meta group.
        let noPreamble = Array(original[128...])
        #expect(try DICOMSummary(Self.read(noPreamble)).storedPixels?.sum == Self.mrSmallSum)
        // Neither preamble nor meta: a bare explicit VR little endian data set.
        let metaLength = Int(original[140]) | Int(original[141]) << 8 | Int(original[142]) << 16 | Int(original[143]) << 24
        let bare = Array(original[(144 + metaLength)...])
        let file = try Self.read(bare)
        #expect(file.transferSyntax.uid == DICOMTransferSyntax.explicitVRLittleEndian)
        #expect(try DICOMSummary(file).storedPixels?.sum == Self.mrSmallSum)
        // Implicit VR bare data set.
        let implicit = [UInt8](try Data(contentsOf: RealData.url("dicom/MR_small_implicit.dcm")))
        let iLength = Int(implicit[140]) | Int(implicit[141]) << 8 | Int(implicit[142]) << 16 | Int(implicit[143]) << 24
        let bareImplicit = try Self.read(Array(implicit[(144 + iLength)...]))
        #expect(bareImplicit.transferSyntax.uid == DICOMTransferSyntax.implicitVRLittleEndian)
        #expect(try DICOMSummary(bareImplicit).storedPixels?.sum == Self.mrSmallSum)
    }

    @Test func textFilesAreNotRecognised() throws {
        #expect {
            _ = try Self.read(Array("this is a text file, not an image\n".utf8))
        } throws: { error in
            guard case ImageIOError.notRecognised = error else { return false }
            return true
        }
    }

    /// Nested sequences with undefined lengths, a private element, then pixel data, in explicit
    /// VR little endian and the same structure in implicit VR.
    @Test func undefinedLengthSequencesAndPrivateTagsAreParsed() throws {
        typealias B = DICOMBytes
        let inner = B.explicit(0x0020, 0x0032, "DS", B.padded("1\\2\\3"))
        let innerSequence = B.explicit(0x0020, 0x9113, "SQ", B.item(inner, undefinedLength: true) + B.sequenceDelimiter, length: B.undefined)
        let outerItem = B.item(B.explicit(0x0008, 0x1150, "UI", B.padded("1.2.3", 0)) + innerSequence, undefinedLength: true)
        let body = B.explicit(0x0008, 0x0060, "CS", B.padded("MR"))
            + B.explicit(0x0009, 0x0010, "LO", B.padded("ACME 1.0"))
            + B.explicit(0x0009, 0x1001, "UN", [1, 2, 3, 4, 5, 6])
            + B.explicit(0x0020, 0x0013, "IS", B.padded("7"))
            + B.explicit(0x5200, 0x9229, "SQ", outerItem + B.item([]) + B.sequenceDelimiter, length: B.undefined)
            + B.imagePixel(rows: 1, columns: 2, bitsAllocated: 16, bitsStored: 16, signed: true)
            + B.explicit(0x7FE0, 0x0010, "OW", B.le16(0xFFFE) + B.le16(5))
        let file = try Self.read(B.preambleAndMeta("1.2.840.10008.1.2.1") + body)
        let ds = file.dataSet
        #expect(ds.string(.modality) == "MR")
        #expect(ds[DICOMTag(0x0009, 0x1001)]?.bytes == [1, 2, 3, 4, 5, 6])
        #expect(ds.string(DICOMTag(0x0009, 0x0010)) == "ACME 1.0")
        #expect(try ds.integer(.instanceNumber) == 7)
        let items = try #require(ds.sequence(.sharedFunctionalGroupsSequence))
        #expect(items.count == 2)
        #expect(items[0].string(DICOMTag(0x0008, 0x1150)) == "1.2.3")
        let nested = try #require(items[0].sequence(DICOMTag(0x0020, 0x9113)))
        #expect(try nested.first?.decimals(.imagePositionPatient) == [1, 2, 3])
        #expect(file.pixels?.storedValues == [-2, 5])

        // The same in implicit VR: the dictionary supplies the VRs; an unknown private
        // element with undefined length is a sequence.
        let iInner = B.implicit(0x0020, 0x0032, B.padded("1\\2\\3"))
        let iBody = B.implicit(0x0008, 0x0060, B.padded("MR"))
            + B.implicit(0x0009, 0x1002, B.item(B.implicit(0x0009, 0x1003, B.padded("x")), undefinedLength: true) + B.sequenceDelimiter, length: B.undefined)
            + B.implicit(0x0020, 0x9113, B.item(iInner), length: nil)
            + B.implicit(0x0028, 0x0010, B.le16(1)) + B.implicit(0x0028, 0x0011, B.le16(2))
            + B.implicit(0x0028, 0x0100, B.le16(8)) + B.implicit(0x0028, 0x0103, B.le16(0))
            + B.implicit(0x7FE0, 0x0010, [200, 7])
        let iFile = try Self.read(B.preambleAndMeta("1.2.840.10008.1.2") + iBody)
        #expect(try iFile.dataSet.sequence(DICOMTag(0x0020, 0x9113))?.first?.decimals(.imagePositionPatient) == [1, 2, 3])
        #expect(iFile.dataSet.sequence(DICOMTag(0x0009, 0x1002))?.count == 1)
        #expect(iFile.pixels?.storedValues == [200, 7])
    }

    /// Bits Stored masking and sign extension (PS3.5 §8.1.1): only the low Bits Stored bits are
    /// the value; bit (Bits Stored − 1) is the sign of signed data.
    @Test func bitsStoredMaskingAndSignExtension() throws {
        typealias B = DICOMBytes
        func pixels(_ ba: Int, _ bs: Int, _ signed: Bool, _ raw: [UInt8]) throws -> [Int32] {
            let count = raw.count / (ba / 8)
            let body = B.imagePixel(rows: 1, columns: count, bitsAllocated: ba, bitsStored: bs, signed: signed)
                + B.explicit(0x7FE0, 0x0010, ba == 8 ? "OB" : "OW", raw)
            return try #require(try Self.read(B.preambleAndMeta("1.2.840.10008.1.2.1") + body).pixels).storedValues
        }
        #expect(try pixels(16, 12, true, B.le16(0xF800) + B.le16(0x07FF) + B.le16(0x1FFF) + B.le16(0x0001)) == [-2048, 2047, -1, 1])
        #expect(try pixels(16, 12, false, B.le16(0xF123) + B.le16(0x0FFF)) == [0x123, 4095])
        #expect(try pixels(16, 16, true, B.le16(0x8000) + B.le16(0x7FFF)) == [-32768, 32767])
        #expect(try pixels(8, 8, true, [0xFF, 0x80]) == [-1, -128])
        #expect(try pixels(8, 8, false, [0xFF, 0x80]) == [255, 128])
        #expect(try pixels(32, 32, true, B.le32(0xFFFF_FFFB) + B.le32(7)) == [-5, 7])
        #expect(try pixels(32, 20, true, B.le32(0x000F_FFFF) + B.le32(0xFFF8_0000)) == [-1, -524288])
        #expect(throws: ImageIOError.self) { _ = try pixels(32, 32, false, B.le32(0xFFFF_FFFF)) }
    }

    @Test func bigEndianValuesAndPixels() throws {
        typealias B = DICOMBytes
        let body = B.explicitBig(0x0020, 0x0013, "IS", B.padded("12"))
            + B.explicitBig(0x0028, 0x0002, "US", B.be16(1))
            + B.explicitBig(0x0028, 0x0010, "US", B.be16(1)) + B.explicitBig(0x0028, 0x0011, "US", B.be16(2))
            + B.explicitBig(0x0028, 0x0100, "US", B.be16(16)) + B.explicitBig(0x0028, 0x0101, "US", B.be16(16))
            + B.explicitBig(0x0028, 0x0103, "US", B.be16(1))
            + B.explicitBig(0x7FE0, 0x0010, "OW", B.be16(0x1234) + B.be16(0xFFFF))
        let file = try Self.read(B.preambleAndMeta("1.2.840.10008.1.2.2") + body)
        #expect(try file.dataSet.integer(.rows) == 1)
        #expect(try file.dataSet.integer(.instanceNumber) == 12)
        #expect(file.pixels?.storedValues == [0x1234, -1])
    }

    /// 8-bit pixels in OW in a big-endian file: the first pixel is the low-order byte of each
    /// 16-bit word (PS3.5 Annex D), which big endian writes second.
    @Test func bigEndianEightBitPixelsInOW() throws {
        typealias B = DICOMBytes
        let body = B.explicitBig(0x0028, 0x0010, "US", B.be16(1)) + B.explicitBig(0x0028, 0x0011, "US", B.be16(4))
            + B.explicitBig(0x0028, 0x0100, "US", B.be16(8)) + B.explicitBig(0x0028, 0x0103, "US", B.be16(0))
            + B.explicitBig(0x7FE0, 0x0010, "OW", B.be16(0x0201) + B.be16(0x0403))
        #expect(try Self.read(B.preambleAndMeta("1.2.840.10008.1.2.2") + body).pixels?.storedValues == [1, 2, 3, 4])
    }

    @Test func invalidNumbersNameTheirTag() throws {
        typealias B = DICOMBytes
        let body = B.explicit(0x0020, 0x0013, "IS", B.padded("1A")) + B.explicit(0x0028, 0x0030, "DS", B.padded("0.5\\abc"))
            + B.explicit(0x0028, 0x1053, "DS", B.padded("NaN"))
        let ds = try Self.read(B.preambleAndMeta("1.2.840.10008.1.2.1") + body).dataSet
        #expect(throws: ImageIOError.invalidHeader(file: "test.dcm", field: "(0020,0013) InstanceNumber", reason: "'1A' is not an integer string (IS)")) {
            _ = try ds.integer(.instanceNumber)
        }
        #expect(throws: ImageIOError.self) { _ = try ds.decimals(.pixelSpacing) }
        #expect(throws: ImageIOError.self) { _ = try ds.decimal(.rescaleSlope) }
        #expect(ds.strings(.pixelSpacing) == ["0.5", "abc"])
    }

    @Test func truncationAndAbsurdLengthsAreErrors() throws {
        typealias B = DICOMBytes
        let good = B.preambleAndMeta("1.2.840.10008.1.2.1")
            + B.imagePixel(rows: 2, columns: 2, bitsAllocated: 16, bitsStored: 16, signed: false)
            + B.explicit(0x7FE0, 0x0010, "OW", [UInt8](repeating: 1, count: 8))
        #expect(try Self.read(good).pixels?.storedValues == [257, 257, 257, 257])
        // A file that ends inside an element.
        for cut in [good.count - 1, good.count - 9, 200, 133] {
            #expect {
                _ = try Self.read(Array(good.prefix(cut)))
            } throws: { error in
                guard case ImageIOError.truncated = error else { return false }
                return true
            }
        }
        // A length field of 4 GB allocates nothing: it is checked against the bytes left.
        let absurd = B.preambleAndMeta("1.2.840.10008.1.2.1") + B.explicit(0x0009, 0x1001, "UN", [1, 2], length: 0xFFFF_FFF0)
        #expect(throws: ImageIOError.self) { _ = try Self.read(absurd) }
        // Rows × Columns × Frames beyond the pixel data: refused before decoding.
        let huge = B.preambleAndMeta("1.2.840.10008.1.2.1")
            + B.imagePixel(rows: 65535, columns: 65535, bitsAllocated: 16, bitsStored: 16, signed: false)
            + B.explicit(0x0028, 0x0008, "IS", B.padded("9999"))
            + B.explicit(0x7FE0, 0x0010, "OW", [0, 0])
        #expect(throws: ImageIOError.self) { _ = try Self.read(huge) }
    }

    @Test func colourIsRefusedClearly() throws {
        typealias B = DICOMBytes
        let body = B.explicit(0x0028, 0x0002, "US", B.le16(3)) + B.explicit(0x0028, 0x0004, "CS", B.padded("RGB"))
            + B.explicit(0x0028, 0x0010, "US", B.le16(1)) + B.explicit(0x0028, 0x0011, "US", B.le16(1))
            + B.explicit(0x0028, 0x0100, "US", B.le16(8)) + B.explicit(0x7FE0, 0x0010, "OB", [1, 2, 3, 0])
        #expect {
            _ = try Self.read(B.preambleAndMeta("1.2.840.10008.1.2.1") + body)
        } throws: { error in
            guard case ImageIOError.unsupported(_, let reason) = error else { return false }
            return reason.contains("colour")
        }
    }

    /// Fragments → frames: one per frame, by the Basic Offset Table, or all for one frame.
    @Test func encapsulatedFragmentsAreGroupedIntoFrames() throws {
        let a: [UInt8] = [1, 2], b: [UInt8] = [3, 4, 5, 6], c: [UInt8] = [7, 8]
        #expect(try DICOMPixelDecoder.splitFrames(offsetTable: [], fragments: [a, b], frames: 2, file: "t") == [[a], [b]])
        #expect(try DICOMPixelDecoder.splitFrames(offsetTable: [], fragments: [a, b, c], frames: 1, file: "t") == [[a, b, c]])
        // Offsets count from the first item tag: a's item is 8 + 2 bytes, b's 8 + 4.
        let table = DICOMBytes.le32(0) + DICOMBytes.le32(22)
        #expect(try DICOMPixelDecoder.splitFrames(offsetTable: table, fragments: [a, b, c], frames: 2, file: "t") == [[a, b], [c]])
        #expect(throws: ImageIOError.self) { _ = try DICOMPixelDecoder.splitFrames(offsetTable: [], fragments: [a, b, c], frames: 2, file: "t") }
        #expect(throws: ImageIOError.self) { _ = try DICOMPixelDecoder.splitFrames(offsetTable: DICOMBytes.le32(0) + DICOMBytes.le32(5), fragments: [a, b, c], frames: 2, file: "t") }
        // The Extended Offset Table when the basic one is empty.
        #expect(try DICOMPixelDecoder.splitFrames(offsetTable: [], fragments: [a, b, c], frames: 2, file: "t", extendedOffsets: [0, 10]) == [[a], [b, c]])
        // No table: codestreams end with FF D9 (EOI / EOC), padding may follow.
        let e1: [UInt8] = [0xFF, 0xD8, 1], e2: [UInt8] = [2, 0xFF, 0xD9], e3: [UInt8] = [0xFF, 0xD8], e4: [UInt8] = [3, 0xFF, 0xD9, 0]
        #expect(try DICOMPixelDecoder.splitFrames(offsetTable: [], fragments: [e1, e2, e3, e4], frames: 2, file: "t") == [[e1, e2], [e3, e4]])
        #expect(throws: ImageIOError.self) { _ = try DICOMPixelDecoder.splitFrames(offsetTable: [], fragments: [e1, e2, e3, e4], frames: 3, file: "t") }
    }

    @Test func decimalStringsFitSixteenCharactersAndRoundTrip() {
        for x in [0.0, 1, -83.9063, 0.3125, 1.0 / 3, -123456.789012345, 1e-7, 6.02e23, 0.8660254037844387, -0.0] {
            let s = DICOMEncoder.decimalString(x)
            #expect(s.count <= 16, "\(s)")
            let back = Double(s) ?? .nan
            #expect(abs(back - x) <= 1e-12 * max(1, abs(x)), "\(x) → \(s)")
        }
    }
}
