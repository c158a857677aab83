import Foundation

/// A parsed DICOM data set (or a sequence item) with typed accessors.
///
/// Values stay as the file wrote them; accessors decode on demand and throw
/// `ImageIOError.invalidHeader` naming the tag when a value does not parse (an IS of "1A").
/// Text VRs are decoded by the Specific Character Set (0008,0005) (`DICOMCharacterSet`); an item
/// without its own (0008,0005) uses its parent's.
public struct DICOMDataSet: Equatable, Sendable {
    /// Elements by tag.
    public private(set) var elements: [DICOMTag: DICOMElement]
    /// True when numbers in binary values are big endian (Explicit VR Big Endian files).
    public let bigEndian: Bool
    /// The file the data set came from, for error messages.
    public let file: String
    /// How text VRs are encoded (from (0008,0005), here or in an enclosing data set).
    public internal(set) var characterSet: DICOMCharacterSet

    init(elements: [DICOMTag: DICOMElement] = [:], bigEndian: Bool = false, file: String,
         characterSet: DICOMCharacterSet = .defaultRepertoire) {
        self.elements = elements
        self.bigEndian = bigEndian
        self.file = file
        self.characterSet = characterSet
    }

    /// The tags present, in ascending order.
    public var tags: [DICOMTag] { elements.keys.sorted() }

    /// The element at `tag`, if present.
    public subscript(tag: DICOMTag) -> DICOMElement? { elements[tag] }

    /// True when the element is present (even with an empty value).
    public func contains(_ tag: DICOMTag) -> Bool { elements[tag] != nil }

    mutating func insert(_ element: DICOMElement) { elements[element.tag] = element }

    /// Sets the text decoding from this data set's (0008,0005), else `inherited`, here and in
    /// every nested item (PS3.5 §7.5.3: an item may name its own character set).
    mutating func resolveCharacterSet(inherited: DICOMCharacterSet = .defaultRepertoire) {
        if let terms = strings(.specificCharacterSet), !terms.isEmpty, terms != [""] {
            characterSet = DICOMCharacterSet(terms: terms)
        } else {
            characterSet = inherited
        }
        for (tag, element) in elements {
            if case .sequence(var items) = element.value {
                for i in items.indices { items[i].resolveCharacterSet(inherited: characterSet) }
                elements[tag] = DICOMElement(tag: tag, vr: element.vr, value: .sequence(items))
            }
        }
    }

    // MARK: text

    /// The value as text with its padding (trailing spaces and NULs) removed; nil when absent.
    /// Numeric-string and code VRs also lose leading spaces.
    /// Bytes that need a character set this reader cannot decode read as ISO-8859-1 here; use
    /// `text(_:)` where a wrong decoding must not pass (names).
    public func string(_ tag: DICOMTag) -> String? {
        guard let element = elements[tag] else { return nil }
        let text = (try? decodeText(element, strict: false)) ?? DICOMCharacterSet.latin1(element.bytes)
        return DICOMDataSet.trim(text, leading: !DICOMDataSet.keepsLeadingSpaces(effectiveVR(element)))
    }

    /// Like `string(_:)`, but a value the Specific Character Set cannot decode here (a Hebrew or
    /// Japanese multi-byte name, say) is an `unsupported` error naming the tag and the set.
    public func text(_ tag: DICOMTag) throws -> String? {
        guard let element = elements[tag] else { return nil }
        let text = try decodeText(element, strict: true)
        return DICOMDataSet.trim(text, leading: !DICOMDataSet.keepsLeadingSpaces(effectiveVR(element)))
    }

    /// A person name (PN) decoded strictly and split into its groups and components; nil when
    /// absent.
    public func personName(_ tag: DICOMTag) throws -> DICOMPersonName? {
        try text(tag).map(DICOMPersonName.init)
    }

    /// The values of a multi-valued text element, split on backslash and trimmed; nil when absent.
    public func strings(_ tag: DICOMTag) -> [String]? {
        guard let element = elements[tag] else { return nil }
        let text = (try? decodeText(element, strict: false)) ?? DICOMCharacterSet.latin1(element.bytes)
        if text.isEmpty { return [] }
        return text.split(separator: "\\", omittingEmptySubsequences: false).map {
            DICOMDataSet.trim(String($0), leading: true)
        }
    }

    // MARK: numbers

    /// The values of a DS (decimal string) element, or of a binary FL/FD one; nil when absent
    /// or empty. A value that is not a number is an error naming the tag.
    public func decimals(_ tag: DICOMTag) throws -> [Double]? {
        guard let element = elements[tag] else { return nil }
        switch effectiveVR(element) {
        case "FL": return binaryValues(element.bytes, width: 4).map { Double(Float(bitPattern: UInt32(truncatingIfNeeded: $0))) }
        case "FD": return binaryValues(element.bytes, width: 8).map { Double(bitPattern: $0) }
        case "US", "SS", "UL", "SL", "IS": return try integers(tag).map { $0.map(Double.init) }
        default:
            guard let parts = strings(tag), !parts.isEmpty, parts != [""] else { return nil }
            return try parts.map { part in
                guard let v = Double(part), v.isFinite else {
                    throw ImageIOError.invalidHeader(file: file, field: tag.description,
                                                     reason: "'\(part)' is not a decimal string (DS)")
                }
                return v
            }
        }
    }

    /// The first DS value; nil when absent or empty.
    public func decimal(_ tag: DICOMTag) throws -> Double? { try decimals(tag)?.first }

    /// The values of an IS (integer string) element or of a binary US/SS/UL/SL one; nil when
    /// absent or empty. An IS such as "1A" is an error naming the tag.
    public func integers(_ tag: DICOMTag) throws -> [Int]? {
        guard let element = elements[tag] else { return nil }
        let b = element.bytes
        switch effectiveVR(element) {
        case "US": return binaryValues(b, width: 2).map { Int(UInt16(truncatingIfNeeded: $0)) }
        case "SS": return binaryValues(b, width: 2).map { Int(Int16(truncatingIfNeeded: $0)) }
        case "UL": return binaryValues(b, width: 4).map { Int(UInt32(truncatingIfNeeded: $0)) }
        case "SL": return binaryValues(b, width: 4).map { Int(Int32(truncatingIfNeeded: $0)) }
        default:
            guard let parts = strings(tag), !parts.isEmpty, parts != [""] else { return nil }
            return try parts.map { part in
                if let v = Int(part) { return v }
                // PS3.5 allows only digits and a sign; accept "2.0" as pydicom does, nothing else.
                if let d = Double(part), d.isFinite, d == d.rounded(), abs(d) < 1e15 { return Int(d) }
                throw ImageIOError.invalidHeader(file: file, field: tag.description,
                                                 reason: "'\(part)' is not an integer string (IS)")
            }
        }
    }

    /// The first integer value; nil when absent or empty.
    public func integer(_ tag: DICOMTag) throws -> Int? { try integers(tag)?.first }

    // MARK: structure

    /// The items of a sequence as nested data sets; nil when absent or not a sequence.
    public func sequence(_ tag: DICOMTag) -> [DICOMDataSet]? {
        guard let element = elements[tag], case .sequence(let items) = element.value else { return nil }
        return items
    }

    // MARK: helpers

    /// The dictionary's VR when the file said UN for a tag the dictionary knows.
    private func effectiveVR(_ element: DICOMElement) -> String {
        element.vr == "UN" ? DICOMDictionary.vr(for: element.tag) : element.vr
    }

    /// Unsigned little- or big-endian words of `width` bytes (a trailing partial word is ignored).
    private func binaryValues(_ b: [UInt8], width: Int) -> [UInt64] {
        stride(from: 0, to: b.count - width + 1, by: width).map { start in
            var v: UInt64 = 0
            for k in 0..<width {
                let byte = UInt64(b[start + (bigEndian ? k : width - 1 - k)])
                v = v << 8 | byte
            }
            return v
        }
    }

    /// Text VRs through the character set; the others (CS, UI, DS, IS, DA, TM, ...) are ASCII.
    private func decodeText(_ element: DICOMElement, strict: Bool) throws -> String {
        let vr = effectiveVR(element)
        guard DICOMDataSet.textVRs.contains(vr) else { return DICOMCharacterSet.latin1(element.bytes) }
        return try characterSet.decode(element.bytes, personName: vr == "PN", strict: strict,
                                       file: file, field: element.tag.description)
    }

    /// VRs whose values the Specific Character Set applies to (PS3.5 §6.1.2.3).
    private static let textVRs: Set<String> = ["SH", "LO", "ST", "LT", "UC", "UT", "PN"]

    private static func keepsLeadingSpaces(_ vr: String) -> Bool {
        ["LO", "LT", "SH", "ST", "UT", "UC", "PN"].contains(vr)
    }

    private static func trim(_ s: String, leading: Bool) -> String {
        var scalars = Substring(s).unicodeScalars
        while let last = scalars.last, last == " " || last == "\0" { scalars.removeLast() }
        if leading { while let first = scalars.first, first == " " { scalars.removeFirst() } }
        return String(String.UnicodeScalarView(scalars))
    }
}
