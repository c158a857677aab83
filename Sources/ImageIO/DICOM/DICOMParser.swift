import Foundation

/// Reads the bytes of a DICOM Part 10 file (PS3.10 §7) into its file meta group and data set.
///
/// Every length is checked against the bytes left before it is used, so a file that ends inside
/// an element is `ImageIOError.truncated` and a length field of 4 GB allocates nothing.
/// Undefined-length sequences and items are read to their delimiters (PS3.5 §7.5); an
/// undefined-length UN element is a sequence in implicit VR little endian (PS3.5 §6.2.2).
struct DICOMParser {
    /// Deeper nesting than this is refused (no real file comes close; it keeps a crafted file
    /// from exhausting the stack).
    static let maximumDepth = 32
    static let undefinedLength: UInt32 = 0xFFFF_FFFF

    /// What a parse yields.
    struct Result {
        var meta: DICOMDataSet
        var dataSet: DICOMDataSet
        var transferSyntax: DICOMTransferSyntax
        /// True when the file had the 128-byte preamble and "DICM".
        var hadPreamble: Bool
        /// True when the top-level data set has (7FE0,0010) (also when it was not read).
        var hasPixelData: Bool
        /// An upper bound on the bytes of pixel data: the declared length of native pixel data,
        /// else the bytes from the element to the end of the file (encapsulated or not read).
        var pixelDataBytes: Int?
    }

    let file: String
    private var bytes: [UInt8]
    private var pos = 0
    private var bigEndian = false
    private var explicitVR = true
    private var sawPixelData = false
    /// See `Result.pixelDataBytes`.
    private var pixelDataBytes: Int?
    /// Stop before (7FE0,0010) (series grouping reads headers only).
    private let headerOnly: Bool

    private init(bytes: [UInt8], file: String, headerOnly: Bool) {
        self.bytes = bytes
        self.file = file
        self.headerOnly = headerOnly
    }

    /// Parses a whole file image.
    static func parse(_ data: [UInt8], file: String, headerOnly: Bool = false) throws -> Result {
        var p = DICOMParser(bytes: data, file: file, headerOnly: headerOnly)
        return try p.parseFile()
    }

    private mutating func parseFile() throws -> Result {
        let dicm: [UInt8] = Array("DICM".utf8)
        var hadPreamble = false
        if bytes.count >= 132, Array(bytes[128..<132]) == dicm {
            pos = 132
            hadPreamble = true
        } else if bytes.count >= 4, Array(bytes[0..<4]) == dicm {
            pos = 4
        }

        // File meta group: always explicit VR little endian (PS3.10 §7.1).
        var meta = DICOMDataSet(file: file)
        bigEndian = false
        explicitVR = true
        var metaEnd: Int?
        while pos + 8 <= bytes.count, u16(at: pos) == 0x0002 {
            if let end = metaEnd, pos >= end { break }
            // A few writers put the meta group in implicit VR; tell by the VR bytes.
            explicitVR = looksLikeVR(at: pos + 4)
            let element = try readElement(depth: 0)
            meta.insert(element)
            if element.tag == .fileMetaInformationGroupLength, metaEnd == nil,
               let length = try? meta.integer(.fileMetaInformationGroupLength), length >= 0,
               length <= bytes.count - pos {
                metaEnd = pos + length
            }
        }
        if !hadPreamble && meta.elements.isEmpty && !plausibleStart() {
            throw ImageIOError.notRecognised(file: file, reason: "no DICOM preamble (\"DICM\" at byte 128) and the first bytes are not a DICOM element")
        }

        let syntax: DICOMTransferSyntax
        if let uid = meta.string(.transferSyntaxUID), !uid.isEmpty {
            syntax = DICOMTransferSyntax(uid: uid)
        } else {
            syntax = DICOMTransferSyntax(uid: guessEncoding())
        }
        switch syntax.encoding {
        case .implicitLittle: explicitVR = false; bigEndian = false
        case .explicitLittle: explicitVR = true; bigEndian = false
        case .explicitBig: explicitVR = true; bigEndian = true
        case .deflatedExplicitLittle:
            explicitVR = true; bigEndian = false
            let rest = Data(bytes[pos...])
            let inflated = try Zlib.inflate(rest, framing: .raw, limit: ImageIOLimits.maximumPayloadBytes, file: file)
            bytes = [UInt8](inflated)
            pos = 0
        }
        var dataSet = try parseDataSet(end: nil, depth: 0, undefinedItem: false)
        dataSet.resolveCharacterSet()
        return Result(meta: meta, dataSet: dataSet, transferSyntax: syntax, hadPreamble: hadPreamble,
                      hasPixelData: sawPixelData || dataSet.contains(.pixelData), pixelDataBytes: pixelDataBytes)
    }

    /// At the Pixel Data element: its defined length (capped by the bytes present), or for an
    /// undefined length the bytes left in the file.
    private func declaredPixelDataBytes() -> Int {
        let header = explicitVR ? 12 : 8
        let left = bytes.count - pos
        guard left >= header else { return max(0, left) }
        let length = u32(at: pos + header - 4)
        if length == Self.undefinedLength { return left - header }
        return min(Int(length), left - header)
    }

    // MARK: guessing (files without a file meta group)

    /// A raw data set (no preamble, no meta) must start with a group-0000/0008 tag.
    private func plausibleStart() -> Bool {
        guard pos + 8 <= bytes.count else { return false }
        let le = UInt16(bytes[pos]) | UInt16(bytes[pos + 1]) << 8
        let be = UInt16(bytes[pos]) << 8 | UInt16(bytes[pos + 1])
        return [0x0000, 0x0008].contains(le) || [0x0000, 0x0008].contains(be)
    }

    /// The transfer syntax of a data set without meta: explicit when the VR bytes spell a VR,
    /// big endian when the group reads as 0x0008 that way.
    private func guessEncoding() -> String {
        guard pos + 8 <= bytes.count else { return DICOMTransferSyntax.implicitVRLittleEndian }
        let be = UInt16(bytes[pos]) << 8 | UInt16(bytes[pos + 1])
        if looksLikeVR(at: pos + 4) {
            return be == 0x0008 ? DICOMTransferSyntax.explicitVRBigEndian : DICOMTransferSyntax.explicitVRLittleEndian
        }
        return DICOMTransferSyntax.implicitVRLittleEndian
    }

    private func looksLikeVR(at offset: Int) -> Bool {
        guard offset + 2 <= bytes.count else { return false }
        let vr = String(decoding: bytes[offset..<offset + 2], as: UTF8.self)
        return DICOMDictionary.knownVRs.contains(vr)
    }

    // MARK: data sets, sequences, items

    /// Elements until `end` (defined length), the item delimiter (`undefinedItem`), or the end
    /// of the bytes (top level).
    private mutating func parseDataSet(end: Int?, depth: Int, undefinedItem: Bool) throws -> DICOMDataSet {
        guard depth <= Self.maximumDepth else {
            throw ImageIOError.invalidHeader(file: file, field: "sequence nesting",
                                             reason: "sequences nested deeper than \(Self.maximumDepth) levels")
        }
        var set = DICOMDataSet(bigEndian: bigEndian, file: file)
        while true {
            if let end {
                if pos == end { break }
                if pos > end {
                    throw ImageIOError.invalidHeader(file: file, field: "item length",
                                                     reason: "an element runs past the end of its item at byte \(end)")
                }
            } else if pos >= bytes.count {
                if undefinedItem {
                    throw ImageIOError.truncated(file: file, reason: "the file ends inside a sequence item (no item delimiter)")
                }
                break
            }
            if end == nil && !undefinedItem && bytes.count - pos < 8 && bytes[pos...].allSatisfy({ $0 == 0 }) {
                break // trailing NUL padding after the last element
            }
            let tag = try peekTag()
            if tag == .itemDelimitation {
                try need(8, "item delimiter")
                pos += 8
                if undefinedItem { break }
                throw ImageIOError.invalidHeader(file: file, field: "item delimiter",
                                                 reason: "item delimiter outside an undefined-length item at byte \(pos - 8)")
            }
            if tag == .item || tag == .sequenceDelimitation {
                throw ImageIOError.invalidHeader(file: file, field: tag.description,
                                                 reason: "item tag outside a sequence at byte \(pos)")
            }
            if depth == 0 && tag == .pixelData {
                pixelDataBytes = declaredPixelDataBytes()
                if headerOnly { sawPixelData = true; break }
            }
            let element = try readElement(depth: depth)
            set.insert(element)
        }
        return set
    }

    /// Items until `end` (defined length) or the sequence delimiter.
    private mutating func parseSequence(end: Int?, depth: Int, tag owner: DICOMTag) throws -> [DICOMDataSet] {
        var items: [DICOMDataSet] = []
        while true {
            if let end {
                if pos == end { break }
                if pos > end {
                    throw ImageIOError.invalidHeader(file: file, field: owner.description,
                                                     reason: "an item runs past the end of the sequence")
                }
            }
            try need(8, "a sequence item of \(owner)")
            let tag = try peekTag()
            let length = u32(at: pos + 4)
            pos += 8
            if tag == .sequenceDelimitation {
                if end == nil { break }
                continue // tolerated inside a defined-length sequence
            }
            guard tag == .item else {
                throw ImageIOError.invalidHeader(file: file, field: owner.description,
                                                 reason: "expected an item tag in the sequence, found \(tag)")
            }
            if length == Self.undefinedLength {
                items.append(try parseDataSet(end: nil, depth: depth + 1, undefinedItem: true))
            } else {
                let itemEnd = try checkedEnd(length, "an item of \(owner)", within: end)
                items.append(try parseDataSet(end: itemEnd, depth: depth + 1, undefinedItem: false))
            }
        }
        return items
    }

    /// Encapsulated pixel data: the Basic Offset Table item, then fragments to the delimiter
    /// (PS3.5 §A.4).
    private mutating func parseFragments() throws -> DICOMElement.Value {
        var items: [[UInt8]] = []
        while true {
            try need(8, "an encapsulated pixel data item")
            let tag = try peekTag()
            let length = u32(at: pos + 4)
            pos += 8
            if tag == .sequenceDelimitation { break }
            guard tag == .item else {
                throw ImageIOError.invalidHeader(file: file, field: DICOMTag.pixelData.description,
                                                 reason: "expected a fragment item in encapsulated pixel data, found \(tag)")
            }
            guard length != Self.undefinedLength else {
                throw ImageIOError.invalidHeader(file: file, field: DICOMTag.pixelData.description,
                                                 reason: "a pixel data fragment has undefined length")
            }
            let itemEnd = try checkedEnd(length, "a pixel data fragment", within: nil)
            items.append(Array(bytes[pos..<itemEnd]))
            pos = itemEnd
        }
        guard let table = items.first else {
            throw ImageIOError.invalidHeader(file: file, field: DICOMTag.pixelData.description,
                                             reason: "encapsulated pixel data without a Basic Offset Table item")
        }
        return .encapsulated(offsetTable: table, fragments: Array(items.dropFirst()))
    }

    // MARK: elements

    private mutating func readElement(depth: Int) throws -> DICOMElement {
        let start = pos
        let tag = try peekTag()
        var vr: String
        var length: UInt32
        if explicitVR {
            try need(8, "the header of \(tag)")
            vr = String(decoding: bytes[pos + 4..<pos + 6], as: UTF8.self)
            guard DICOMDictionary.knownVRs.contains(vr) else {
                throw ImageIOError.invalidHeader(file: file, field: tag.description,
                                                 reason: "unknown value representation '\(printable(bytes[pos + 4..<pos + 6]))' at byte \(start)")
            }
            if DICOMDictionary.longLengthVRs.contains(vr) {
                try need(12, "the header of \(tag)")
                length = u32(at: pos + 8)
                pos += 12
            } else {
                length = UInt32(u16(at: pos + 6))
                pos += 8
            }
        } else {
            try need(8, "the header of \(tag)")
            vr = DICOMDictionary.vr(for: tag)
            length = u32(at: pos + 4)
            pos += 8
        }

        if length == Self.undefinedLength {
            if tag == .pixelData {
                return DICOMElement(tag: tag, vr: vr, value: try parseFragments())
            }
            guard vr == "SQ" || vr == "UN" else {
                throw ImageIOError.invalidHeader(file: file, field: tag.description,
                                                 reason: "undefined length on a \(vr) element")
            }
            let saved = (explicitVR, bigEndian)
            if vr == "UN" { explicitVR = false; bigEndian = false } // PS3.5 §6.2.2 note
            defer { (explicitVR, bigEndian) = saved }
            return DICOMElement(tag: tag, vr: "SQ", value: .sequence(try parseSequence(end: nil, depth: depth, tag: tag)))
        }
        let end = try checkedEnd(length, "\(tag)", within: nil)
        if vr == "SQ" {
            let items = try parseSequence(end: end, depth: depth, tag: tag)
            pos = end
            return DICOMElement(tag: tag, vr: vr, value: .sequence(items))
        }
        let value = Array(bytes[pos..<end])
        pos = end
        return DICOMElement(tag: tag, vr: vr, value: .bytes(value))
    }

    // MARK: bounds-checked reading

    /// The end offset of a value of `length` bytes starting at `pos`, checked against the bytes
    /// left (and the enclosing item's end).
    private func checkedEnd(_ length: UInt32, _ what: String, within limit: Int?) throws -> Int {
        let left = bytes.count - pos
        guard Int(length) <= left else {
            throw ImageIOError.truncated(file: file, reason: "\(what) declares \(length) bytes at byte \(pos) but only \(left) remain")
        }
        let end = pos + Int(length)
        if let limit, end > limit {
            throw ImageIOError.invalidHeader(file: file, field: what,
                                             reason: "length \(length) runs past the end of the enclosing sequence")
        }
        return end
    }

    private func need(_ count: Int, _ what: String) throws {
        guard bytes.count - pos >= count else {
            throw ImageIOError.truncated(file: file, reason: "the file ends inside \(what) (byte \(pos) of \(bytes.count))")
        }
    }

    private func peekTag() throws -> DICOMTag {
        try need(4, "an element tag")
        return DICOMTag(u16(at: pos), u16(at: pos + 2))
    }

    private func u16(at i: Int) -> UInt16 {
        bigEndian ? UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])
                  : UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8
    }

    private func u32(at i: Int) -> UInt32 {
        bigEndian ? UInt32(u16(at: i)) << 16 | UInt32(u16(at: i + 2))
                  : UInt32(u16(at: i)) | UInt32(u16(at: i + 2)) << 16
    }

    private func printable(_ s: ArraySlice<UInt8>) -> String {
        String(s.map { (0x20..<0x7F).contains($0) ? Character(Unicode.Scalar($0)) : "?" })
    }
}
