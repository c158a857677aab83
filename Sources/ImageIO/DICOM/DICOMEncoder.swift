import Foundation

/// Builds a DICOM Part 10 file image in Explicit VR Little Endian (PS3.5 §7.1.2, PS3.10 §7):
/// the 128-byte preamble, "DICM", the file meta group, then the data set with elements in
/// ascending tag order and every value padded to even length (UI with NUL, text with space).
struct DICOMEncoder {
    /// This tool's Implementation Class UID (a fixed UUID-derived 2.25 UID, PS3.5 §B.2).
    static let implementationClassUID = "2.25.213866373712089513040745358813346455781"
    static let implementationVersionName = "HER2MRI_1"

    private var elements: [DICOMTag: (vr: String, value: [UInt8])] = [:]
    /// Where the bytes will go, for error messages.
    let file: String

    init(file: String) { self.file = file }

    /// True when `tag` has been set.
    func contains(_ tag: DICOMTag) -> Bool { elements[tag] != nil }

    /// Sets a text element (padded to even length as its VR requires).
    mutating func set(_ tag: DICOMTag, _ vr: String, _ text: String) {
        var bytes = Array(text.utf8)
        if bytes.count % 2 == 1 { bytes.append(vr == "UI" ? 0 : 0x20) }
        elements[tag] = (vr, bytes)
    }

    /// Sets a multi-valued text element (values joined by backslash).
    mutating func set(_ tag: DICOMTag, _ vr: String, _ values: [String]) {
        set(tag, vr, values.joined(separator: "\\"))
    }

    /// Sets a decimal-string element (each value in at most 16 characters).
    mutating func setDS(_ tag: DICOMTag, _ values: [Double]) {
        set(tag, "DS", values.map(DICOMEncoder.decimalString))
    }

    /// Sets an unsigned-short element.
    mutating func setUS(_ tag: DICOMTag, _ value: Int) {
        let v = UInt16(clamping: value)
        elements[tag] = ("US", [UInt8(v & 0xFF), UInt8(v >> 8)])
    }

    /// Sets a binary element as given (padded with NUL to even length).
    mutating func setBytes(_ tag: DICOMTag, _ vr: String, _ bytes: [UInt8]) {
        var b = bytes
        if b.count % 2 == 1 { b.append(0) }
        elements[tag] = (vr, b)
    }

    /// Text of a DS value in at most 16 characters (PS3.5 §6.2): the shortest round-trip form
    /// when it fits, else %g with as many digits as fit.
    static func decimalString(_ x: Double) -> String {
        if x == 0 { return "0" }
        if x == x.rounded(), abs(x) < 1e15 {
            let s = String(Int64(x))
            if s.count <= 16 { return s }
        }
        let shortest = "\(x)"
        if shortest.count <= 16 { return shortest }
        for digits in stride(from: 15, through: 1, by: -1) {
            let s = String(format: "%.\(digits)g", x)
            if s.count <= 16 { return s }
        }
        return String(format: "%.1g", x)
    }

    /// The elements, in ascending tag order, as explicit VR little endian bytes.
    func encodedElements() throws -> [UInt8] {
        var out: [UInt8] = []
        for tag in elements.keys.sorted() {
            guard let (vr, value) = elements[tag] else { continue }
            out += [UInt8(tag.group & 0xFF), UInt8(tag.group >> 8), UInt8(tag.element & 0xFF), UInt8(tag.element >> 8)]
            out += Array(vr.utf8)
            if DICOMDictionary.longLengthVRs.contains(vr) {
                let n = UInt32(value.count)
                out += [0, 0, UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 24)]
            } else {
                guard value.count <= 0xFFFE else {
                    throw ImageIOError.invalidHeader(file: file, field: tag.description,
                                                     reason: "a \(vr) value of \(value.count) bytes does not fit a 16-bit length")
                }
                out += [UInt8(value.count & 0xFF), UInt8(value.count >> 8)]
            }
            out += value
        }
        return out
    }

    /// A whole Part 10 file: preamble, "DICM", meta group (with its group length), data set.
    static func fileImage(dataSet: DICOMEncoder, sopClassUID: String, sopInstanceUID: String) throws -> [UInt8] {
        var meta = DICOMEncoder(file: dataSet.file)
        meta.setBytes(.fileMetaInformationVersion, "OB", [0, 1])
        meta.set(.mediaStorageSOPClassUID, "UI", sopClassUID)
        meta.set(.mediaStorageSOPInstanceUID, "UI", sopInstanceUID)
        meta.set(.transferSyntaxUID, "UI", DICOMTransferSyntax.explicitVRLittleEndian)
        meta.set(.implementationClassUID, "UI", implementationClassUID)
        meta.set(.implementationVersionName, "SH", implementationVersionName)
        let metaBody = try meta.encodedElements()
        var groupLength = DICOMEncoder(file: dataSet.file)
        let n = UInt32(metaBody.count)
        groupLength.setBytes(.fileMetaInformationGroupLength, "UL", [UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 24)])
        var out = [UInt8](repeating: 0, count: 128)
        out += Array("DICM".utf8)
        out += try groupLength.encodedElements()
        out += metaBody
        out += try dataSet.encodedElements()
        return out
    }
}
