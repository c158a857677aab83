/// One data element as read from a file: its tag, its VR and its value, kept as raw bytes
/// (in the file's byte order) or as parsed items.
public struct DICOMElement: Equatable, Sendable {
    /// What the element holds.
    public enum Value: Equatable, Sendable {
        /// The value field as written (numbers in the data set's byte order, text unpadded by nothing).
        case bytes([UInt8])
        /// A sequence (SQ, or an undefined-length UN): its items as nested data sets.
        case sequence([DICOMDataSet])
        /// Encapsulated pixel data (PS3.5 §A.4): the Basic Offset Table item, then the fragments.
        case encapsulated(offsetTable: [UInt8], fragments: [[UInt8]])
    }

    public let tag: DICOMTag
    /// The two-letter VR: from the file (explicit VR) or the dictionary (implicit VR; UN if unknown).
    public let vr: String
    public let value: Value

    /// The raw value bytes (empty for sequences and encapsulated data).
    public var bytes: [UInt8] {
        if case .bytes(let b) = value { return b }
        return []
    }
}
