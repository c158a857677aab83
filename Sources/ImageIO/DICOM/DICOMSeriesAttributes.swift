/// What `DICOMSeriesWriter` writes besides pixels and geometry: patient, study and series
/// identity, acquisition parameters and any vendor-private elements.
///
/// Nothing here is invented: UIDs come from the caller (deterministic roots give the same bytes
/// for the same input), and dates and times are written only when given. Optional values that
/// are nil are left out (or written empty where the MR Image IOD makes them type 2).
public struct DICOMSeriesAttributes: Sendable {
    /// (0010,0020) Patient ID.
    public var patientID: String
    /// (0010,0010) Patient's Name in PN form, `Family^Given`.
    public var patientName: String
    /// (0010,0030) YYYYMMDD.
    public var patientBirthDate: String?
    /// (0010,0040) M, F or O.
    public var patientSex: String?
    /// (0020,000D).
    public var studyInstanceUID: String
    /// (0020,000E).
    public var seriesInstanceUID: String
    /// (0020,0052); slices that share it share a patient coordinate system.
    public var frameOfReferenceUID: String
    /// SOP Instance UIDs are `<prefix>.<instance number>`.
    public var sopInstanceUIDPrefix: String
    /// (0008,0050).
    public var accessionNumber: String?
    /// (0020,0010) Study ID.
    public var studyID: String?
    /// (0008,0020) YYYYMMDD; also used as series, acquisition and content date.
    public var studyDate: String?
    /// (0008,0030) HHMMSS[.ffffff].
    public var studyTime: String?
    /// (0008,1030).
    public var studyDescription: String?
    /// (0020,0011).
    public var seriesNumber: Int
    /// (0008,103E).
    public var seriesDescription: String?
    /// (0008,0080).
    public var institutionName: String?
    /// (0008,0070).
    public var manufacturer: String?
    /// (0008,1090).
    public var manufacturerModelName: String?
    /// (0018,0087) tesla.
    public var magneticFieldStrength: Double?
    /// (0018,0080) ms.
    public var repetitionTime: Double?
    /// (0018,0081) ms.
    public var echoTime: Double?
    /// (0018,0082) ms.
    public var inversionTime: Double?
    /// (0018,1314) degrees.
    public var flipAngle: Double?
    /// (0018,0020) e.g. ["GR"], ["SE"], ["IR"].
    public var scanningSequence: [String]
    /// (0018,0021) e.g. ["SP", "SS"]; ["NONE"] when nothing applies.
    public var sequenceVariant: [String]
    /// (0018,0024) the vendor's sequence name.
    public var sequenceName: String?
    /// (0018,0022) e.g. ["FS"] (fat saturation), ["WE"]; empty writes an empty element.
    public var scanOptions: [String] = []
    /// (0018,0023) "2D" or "3D".
    public var mrAcquisitionType: String?
    /// (0008,0008) e.g. ["ORIGINAL", "PRIMARY", "M", "ND"]; ["DERIVED", "SECONDARY", "SUB"] for subtractions.
    public var imageType: [String]
    /// (0018,0010) e.g. "Gadobutrol"; left out when nil (a non-contrast series).
    public var contrastBolusAgent: String?
    /// (0018,5100) e.g. "HFP" (head first prone, the breast MRI position).
    public var patientPosition: String?
    /// (0008,0032) acquisition time per phase (index t), or one value for every phase; content
    /// time (0008,0033) is the same.
    public var acquisitionTimes: [String]
    /// (0018,1060) trigger time in ms per phase, or one value for every phase.
    public var triggerTimes: [Double]
    /// (0020,0100) of the first phase written (phase t gets this + t); nil writes none for a
    /// 3-D volume and 1...phases for a 4-D one.
    public var temporalPositionIdentifier: Int?
    /// (0020,0105); nil writes the volume's phase count when it has more than one.
    public var numberOfTemporalPositions: Int?
    /// Instance number (0020,0013) of the first file; later files count up.
    public var firstInstanceNumber: Int
    /// File names are `<prefix><instance number, 5 digits>.dcm`.
    public var fileNamePrefix: String
    /// Further elements, private or standard, as (tag `gggg << 16 | eeee`, VR, value). Text VRs
    /// take the text (multiple values joined by backslash); US/SS/UL/SL/FL/FD take numbers
    /// separated by backslashes; OB/UN take the text's bytes. A private tag (gggg,xxyy) needs
    /// its creator (gggg,00xx) among them, as GE's (0019,109C) needs (0019,0010).
    public var extra: [(tag: UInt32, vr: String, value: String)]

    /// Attributes with the identities every file needs; everything else defaults to absent.
    public init(patientID: String, patientName: String, studyInstanceUID: String, seriesInstanceUID: String,
                frameOfReferenceUID: String, sopInstanceUIDPrefix: String, seriesNumber: Int) {
        self.patientID = patientID
        self.patientName = patientName
        self.studyInstanceUID = studyInstanceUID
        self.seriesInstanceUID = seriesInstanceUID
        self.frameOfReferenceUID = frameOfReferenceUID
        self.sopInstanceUIDPrefix = sopInstanceUIDPrefix
        self.seriesNumber = seriesNumber
        scanningSequence = ["GR"]
        sequenceVariant = ["NONE"]
        imageType = ["ORIGINAL", "PRIMARY", "M", "ND"]
        patientPosition = "HFP"
        acquisitionTimes = []
        triggerTimes = []
        firstInstanceNumber = 1
        fileNamePrefix = "IM"
        extra = []
    }
}
