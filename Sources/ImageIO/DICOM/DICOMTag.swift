/// A DICOM attribute tag (group, element), ordered as the standard orders data elements.
public struct DICOMTag: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// `group << 16 | element`, the form DICOM dictionaries print as (gggg,eeee).
    public let rawValue: UInt32

    /// A tag from its packed value `group << 16 | element`.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// A tag from its group and element numbers.
    public init(_ group: UInt16, _ element: UInt16) {
        rawValue = UInt32(group) << 16 | UInt32(element)
    }

    /// The group number (odd groups are private).
    public var group: UInt16 { UInt16(truncatingIfNeeded: rawValue >> 16) }
    /// The element number within the group.
    public var element: UInt16 { UInt16(truncatingIfNeeded: rawValue) }
    /// True for vendor-private tags (odd group numbers).
    public var isPrivate: Bool { group & 1 == 1 }

    public static func < (a: DICOMTag, b: DICOMTag) -> Bool { a.rawValue < b.rawValue }

    /// `(0028,0010) Rows` — the numbers, then the keyword when the dictionary knows it.
    public var description: String {
        let hex = { (v: UInt16) -> String in
            let s = String(v, radix: 16, uppercase: true)
            return String(repeating: "0", count: 4 - s.count) + s
        }
        let numbers = "(\(hex(group)),\(hex(element)))"
        if let keyword = DICOMDictionary.keyword(for: self) { return numbers + " " + keyword }
        return numbers
    }

    // Item and delimitation tags: these carry no VR in any transfer syntax (PS3.5 §7.5).
    static let item = DICOMTag(0xFFFE, 0xE000)
    static let itemDelimitation = DICOMTag(0xFFFE, 0xE00D)
    static let sequenceDelimitation = DICOMTag(0xFFFE, 0xE0DD)

    // File meta information (PS3.10 §7.1).
    static let fileMetaInformationGroupLength = DICOMTag(0x0002, 0x0000)
    static let fileMetaInformationVersion = DICOMTag(0x0002, 0x0001)
    static let mediaStorageSOPClassUID = DICOMTag(0x0002, 0x0002)
    static let mediaStorageSOPInstanceUID = DICOMTag(0x0002, 0x0003)
    static let transferSyntaxUID = DICOMTag(0x0002, 0x0010)
    static let implementationClassUID = DICOMTag(0x0002, 0x0012)
    static let implementationVersionName = DICOMTag(0x0002, 0x0013)

    // Attributes this tool reads or writes (PS3.6 keywords).
    public static let specificCharacterSet = DICOMTag(0x0008, 0x0005)
    public static let imageType = DICOMTag(0x0008, 0x0008)
    public static let sopClassUID = DICOMTag(0x0008, 0x0016)
    public static let sopInstanceUID = DICOMTag(0x0008, 0x0018)
    public static let studyDate = DICOMTag(0x0008, 0x0020)
    public static let seriesDate = DICOMTag(0x0008, 0x0021)
    public static let acquisitionDate = DICOMTag(0x0008, 0x0022)
    public static let contentDate = DICOMTag(0x0008, 0x0023)
    public static let studyTime = DICOMTag(0x0008, 0x0030)
    public static let seriesTime = DICOMTag(0x0008, 0x0031)
    public static let acquisitionTime = DICOMTag(0x0008, 0x0032)
    public static let contentTime = DICOMTag(0x0008, 0x0033)
    public static let accessionNumber = DICOMTag(0x0008, 0x0050)
    public static let modality = DICOMTag(0x0008, 0x0060)
    public static let manufacturer = DICOMTag(0x0008, 0x0070)
    public static let institutionName = DICOMTag(0x0008, 0x0080)
    public static let referringPhysicianName = DICOMTag(0x0008, 0x0090)
    public static let studyDescription = DICOMTag(0x0008, 0x1030)
    public static let seriesDescription = DICOMTag(0x0008, 0x103E)
    public static let manufacturerModelName = DICOMTag(0x0008, 0x1090)
    public static let patientName = DICOMTag(0x0010, 0x0010)
    public static let patientID = DICOMTag(0x0010, 0x0020)
    public static let patientBirthDate = DICOMTag(0x0010, 0x0030)
    public static let patientSex = DICOMTag(0x0010, 0x0040)
    public static let patientAge = DICOMTag(0x0010, 0x1010)
    public static let contrastBolusAgent = DICOMTag(0x0018, 0x0010)
    public static let scanningSequence = DICOMTag(0x0018, 0x0020)
    public static let sequenceVariant = DICOMTag(0x0018, 0x0021)
    public static let scanOptions = DICOMTag(0x0018, 0x0022)
    public static let mrAcquisitionType = DICOMTag(0x0018, 0x0023)
    public static let sequenceName = DICOMTag(0x0018, 0x0024)
    public static let sliceThickness = DICOMTag(0x0018, 0x0050)
    public static let repetitionTime = DICOMTag(0x0018, 0x0080)
    public static let echoTime = DICOMTag(0x0018, 0x0081)
    public static let inversionTime = DICOMTag(0x0018, 0x0082)
    public static let magneticFieldStrength = DICOMTag(0x0018, 0x0087)
    public static let spacingBetweenSlices = DICOMTag(0x0018, 0x0088)
    public static let triggerTime = DICOMTag(0x0018, 0x1060)
    public static let flipAngle = DICOMTag(0x0018, 0x1314)
    public static let patientPosition = DICOMTag(0x0018, 0x5100)
    public static let studyInstanceUID = DICOMTag(0x0020, 0x000D)
    public static let seriesInstanceUID = DICOMTag(0x0020, 0x000E)
    public static let studyID = DICOMTag(0x0020, 0x0010)
    public static let seriesNumber = DICOMTag(0x0020, 0x0011)
    public static let acquisitionNumber = DICOMTag(0x0020, 0x0012)
    public static let instanceNumber = DICOMTag(0x0020, 0x0013)
    public static let imagePositionPatient = DICOMTag(0x0020, 0x0032)
    public static let imageOrientationPatient = DICOMTag(0x0020, 0x0037)
    public static let frameOfReferenceUID = DICOMTag(0x0020, 0x0052)
    public static let temporalPositionIdentifier = DICOMTag(0x0020, 0x0100)
    public static let numberOfTemporalPositions = DICOMTag(0x0020, 0x0105)
    public static let positionReferenceIndicator = DICOMTag(0x0020, 0x1040)
    public static let sliceLocation = DICOMTag(0x0020, 0x1041)
    public static let samplesPerPixel = DICOMTag(0x0028, 0x0002)
    public static let photometricInterpretation = DICOMTag(0x0028, 0x0004)
    public static let numberOfFrames = DICOMTag(0x0028, 0x0008)
    public static let rows = DICOMTag(0x0028, 0x0010)
    public static let columns = DICOMTag(0x0028, 0x0011)
    public static let pixelSpacing = DICOMTag(0x0028, 0x0030)
    public static let bitsAllocated = DICOMTag(0x0028, 0x0100)
    public static let bitsStored = DICOMTag(0x0028, 0x0101)
    public static let highBit = DICOMTag(0x0028, 0x0102)
    public static let pixelRepresentation = DICOMTag(0x0028, 0x0103)
    public static let windowCenter = DICOMTag(0x0028, 0x1050)
    public static let windowWidth = DICOMTag(0x0028, 0x1051)
    public static let rescaleIntercept = DICOMTag(0x0028, 0x1052)
    public static let rescaleSlope = DICOMTag(0x0028, 0x1053)
    public static let rescaleType = DICOMTag(0x0028, 0x1054)
    public static let acquisitionDateTime = DICOMTag(0x0008, 0x002A)
    public static let frameAcquisitionDateTime = DICOMTag(0x0018, 0x9074)
    public static let cardiacSynchronizationSequence = DICOMTag(0x0018, 0x9118)
    public static let stackID = DICOMTag(0x0020, 0x9056)
    public static let inStackPositionNumber = DICOMTag(0x0020, 0x9057)
    public static let frameContentSequence = DICOMTag(0x0020, 0x9111)
    public static let planePositionSequence = DICOMTag(0x0020, 0x9113)
    public static let planeOrientationSequence = DICOMTag(0x0020, 0x9116)
    public static let temporalPositionIndex = DICOMTag(0x0020, 0x9128)
    public static let nominalCardiacTriggerDelayTime = DICOMTag(0x0020, 0x9153)
    public static let frameAcquisitionNumber = DICOMTag(0x0020, 0x9156)
    public static let dimensionIndexValues = DICOMTag(0x0020, 0x9157)
    public static let pixelMeasuresSequence = DICOMTag(0x0028, 0x9110)
    public static let pixelValueTransformationSequence = DICOMTag(0x0028, 0x9145)
    public static let sharedFunctionalGroupsSequence = DICOMTag(0x5200, 0x9229)
    public static let perFrameFunctionalGroupsSequence = DICOMTag(0x5200, 0x9230)
    public static let pixelData = DICOMTag(0x7FE0, 0x0010)
}
