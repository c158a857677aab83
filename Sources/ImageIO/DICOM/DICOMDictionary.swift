/// The compact data dictionary this reader needs: the VR and keyword of the standard tags the
/// tool uses (PS3.6), so implicit-VR files can be decoded. Any other tag reads as `UN` (raw
/// bytes), which is safe: its value is kept, never interpreted.
enum DICOMDictionary {
    /// (tag, VR, keyword) for the attributes the tool reads or writes, plus the sequences that
    /// Enhanced MR and common files carry (so their items are parsed in implicit VR files).
    private static let entries: [(UInt32, String, String)] = [
        (0x0002_0000, "UL", "FileMetaInformationGroupLength"),
        (0x0002_0001, "OB", "FileMetaInformationVersion"),
        (0x0002_0002, "UI", "MediaStorageSOPClassUID"),
        (0x0002_0003, "UI", "MediaStorageSOPInstanceUID"),
        (0x0002_0010, "UI", "TransferSyntaxUID"),
        (0x0002_0012, "UI", "ImplementationClassUID"),
        (0x0002_0013, "SH", "ImplementationVersionName"),
        (0x0002_0016, "AE", "SourceApplicationEntityTitle"),
        (0x0008_0005, "CS", "SpecificCharacterSet"),
        (0x0008_0008, "CS", "ImageType"),
        (0x0008_0012, "DA", "InstanceCreationDate"),
        (0x0008_0013, "TM", "InstanceCreationTime"),
        (0x0008_0016, "UI", "SOPClassUID"),
        (0x0008_0018, "UI", "SOPInstanceUID"),
        (0x0008_0020, "DA", "StudyDate"),
        (0x0008_0021, "DA", "SeriesDate"),
        (0x0008_0022, "DA", "AcquisitionDate"),
        (0x0008_0023, "DA", "ContentDate"),
        (0x0008_002A, "DT", "AcquisitionDateTime"),
        (0x0008_0030, "TM", "StudyTime"),
        (0x0008_0031, "TM", "SeriesTime"),
        (0x0008_0032, "TM", "AcquisitionTime"),
        (0x0008_0033, "TM", "ContentTime"),
        (0x0008_0050, "SH", "AccessionNumber"),
        (0x0008_0060, "CS", "Modality"),
        (0x0008_0070, "LO", "Manufacturer"),
        (0x0008_0080, "LO", "InstitutionName"),
        (0x0008_0090, "PN", "ReferringPhysicianName"),
        (0x0008_1030, "LO", "StudyDescription"),
        (0x0008_103E, "LO", "SeriesDescription"),
        (0x0008_1090, "LO", "ManufacturerModelName"),
        (0x0008_1140, "SQ", "ReferencedImageSequence"),
        (0x0008_1150, "UI", "ReferencedSOPClassUID"),
        (0x0008_1155, "UI", "ReferencedSOPInstanceUID"),
        (0x0008_9205, "CS", "PixelPresentation"),
        (0x0010_0010, "PN", "PatientName"),
        (0x0010_0020, "LO", "PatientID"),
        (0x0010_0030, "DA", "PatientBirthDate"),
        (0x0010_0040, "CS", "PatientSex"),
        (0x0010_1010, "AS", "PatientAge"),
        (0x0010_1030, "DS", "PatientWeight"),
        (0x0018_0010, "LO", "ContrastBolusAgent"),
        (0x0018_0020, "CS", "ScanningSequence"),
        (0x0018_0021, "CS", "SequenceVariant"),
        (0x0018_0022, "CS", "ScanOptions"),
        (0x0018_0023, "CS", "MRAcquisitionType"),
        (0x0018_0024, "SH", "SequenceName"),
        (0x0018_0050, "DS", "SliceThickness"),
        (0x0018_0080, "DS", "RepetitionTime"),
        (0x0018_0081, "DS", "EchoTime"),
        (0x0018_0082, "DS", "InversionTime"),
        (0x0018_0083, "DS", "NumberOfAverages"),
        (0x0018_0086, "IS", "EchoNumbers"),
        (0x0018_0087, "DS", "MagneticFieldStrength"),
        (0x0018_0088, "DS", "SpacingBetweenSlices"),
        (0x0018_0091, "IS", "EchoTrainLength"),
        (0x0018_1020, "LO", "SoftwareVersions"),
        (0x0018_1030, "LO", "ProtocolName"),
        (0x0018_1060, "DS", "TriggerTime"),
        (0x0018_1314, "DS", "FlipAngle"),
        (0x0018_5100, "CS", "PatientPosition"),
        (0x0018_9074, "DT", "FrameAcquisitionDateTime"),
        (0x0018_9114, "SQ", "MREchoSequence"),
        (0x0018_9118, "SQ", "CardiacSynchronizationSequence"),
        (0x0018_9226, "SQ", "MRImageFrameTypeSequence"),
        (0x0020_000D, "UI", "StudyInstanceUID"),
        (0x0020_000E, "UI", "SeriesInstanceUID"),
        (0x0020_0010, "SH", "StudyID"),
        (0x0020_0011, "IS", "SeriesNumber"),
        (0x0020_0012, "IS", "AcquisitionNumber"),
        (0x0020_0013, "IS", "InstanceNumber"),
        (0x0020_0020, "CS", "PatientOrientation"),
        (0x0020_0032, "DS", "ImagePositionPatient"),
        (0x0020_0037, "DS", "ImageOrientationPatient"),
        (0x0020_0052, "UI", "FrameOfReferenceUID"),
        (0x0020_0100, "IS", "TemporalPositionIdentifier"),
        (0x0020_0105, "IS", "NumberOfTemporalPositions"),
        (0x0020_1040, "LO", "PositionReferenceIndicator"),
        (0x0020_1041, "DS", "SliceLocation"),
        (0x0020_9056, "SH", "StackID"),
        (0x0020_9057, "UL", "InStackPositionNumber"),
        (0x0020_9111, "SQ", "FrameContentSequence"),
        (0x0020_9113, "SQ", "PlanePositionSequence"),
        (0x0020_9116, "SQ", "PlaneOrientationSequence"),
        (0x0020_9128, "UL", "TemporalPositionIndex"),
        (0x0020_9153, "FD", "NominalCardiacTriggerDelayTime"),
        (0x0020_9156, "US", "FrameAcquisitionNumber"),
        (0x0020_9157, "UL", "DimensionIndexValues"),
        (0x0020_9221, "SQ", "DimensionOrganizationSequence"),
        (0x0020_9222, "SQ", "DimensionIndexSequence"),
        (0x0028_0002, "US", "SamplesPerPixel"),
        (0x0028_0004, "CS", "PhotometricInterpretation"),
        (0x0028_0006, "US", "PlanarConfiguration"),
        (0x0028_0008, "IS", "NumberOfFrames"),
        (0x0028_0010, "US", "Rows"),
        (0x0028_0011, "US", "Columns"),
        (0x0028_0030, "DS", "PixelSpacing"),
        (0x0028_0100, "US", "BitsAllocated"),
        (0x0028_0101, "US", "BitsStored"),
        (0x0028_0102, "US", "HighBit"),
        (0x0028_0103, "US", "PixelRepresentation"),
        (0x0028_1050, "DS", "WindowCenter"),
        (0x0028_1051, "DS", "WindowWidth"),
        (0x0028_1052, "DS", "RescaleIntercept"),
        (0x0028_1053, "DS", "RescaleSlope"),
        (0x0028_1054, "LO", "RescaleType"),
        (0x0028_9110, "SQ", "PixelMeasuresSequence"),
        (0x0028_9132, "SQ", "FrameVOILUTSequence"),
        (0x0028_9145, "SQ", "PixelValueTransformationSequence"),
        (0x0040_0275, "SQ", "RequestAttributesSequence"),
        (0x5200_9229, "SQ", "SharedFunctionalGroupsSequence"),
        (0x5200_9230, "SQ", "PerFrameFunctionalGroupsSequence"),
        (0x7FE0_0001, "OV", "ExtendedOffsetTable"),
        (0x7FE0_0002, "OV", "ExtendedOffsetTableLengths"),
        (0x7FE0_0010, "OW", "PixelData"),
    ]

    private static let table: [UInt32: (vr: String, keyword: String)] = {
        var t: [UInt32: (vr: String, keyword: String)] = [:]
        for (tag, vr, keyword) in entries { t[tag] = (vr, keyword) }
        return t
    }()

    /// The VR an implicit-VR file implies for `tag`: the table's, UL for group lengths, LO for
    /// private creators, UN otherwise.
    static func vr(for tag: DICOMTag) -> String {
        if let entry = table[tag.rawValue] { return entry.vr }
        if tag.element == 0 { return "UL" }
        if tag.isPrivate, (0x0010...0x00FF).contains(tag.element) { return "LO" }
        return "UN"
    }

    /// The PS3.6 keyword, when the table has the tag.
    static func keyword(for tag: DICOMTag) -> String? { table[tag.rawValue]?.keyword }

    /// VRs whose explicit encoding has two reserved bytes and a 32-bit length (PS3.5 §7.1.2).
    static let longLengthVRs: Set<String> = ["OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"]

    /// Every VR of PS3.5 §6.2; an explicit-VR file naming another is malformed.
    static let knownVRs: Set<String> = [
        "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO", "LT", "OB", "OD", "OF", "OL",
        "OV", "OW", "PN", "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC", "UI", "UL", "UN", "UR", "US",
        "UT", "UV",
    ]

    /// Byte width of one value for binary VRs whose bytes swap in big-endian files.
    static func swapWidth(of vr: String) -> Int {
        switch vr {
        case "US", "SS", "OW", "AT": return 2
        case "UL", "SL", "FL", "OF", "OL": return 4
        case "FD", "OD", "SV", "UV", "OV": return 8
        default: return 1
        }
    }
}
