import Support

/// The JSON sidecar of one converted stack: the acquisition keys a BIDS user expects, named and
/// scaled as the BIDS specification (1.9, "Common metadata fields") and dcm2niix write them —
/// times in seconds (DICOM has ms), `AcquisitionTime` as `HH:MM:SS.ffffff`, `Manufacturer`
/// normalised as dcm2niix does (`Siemens`, `GE`, `Philips`, `Canon`, `UIH`, `Hitachi`, `Bruker`).
///
/// Keys, in this order, each present only when the DICOM has it: `Modality`,
/// `MagneticFieldStrength`, `Manufacturer`, `ManufacturersModelName`, `SeriesDescription`,
/// `ProtocolName`, `ImageType`, `SeriesNumber`, `AcquisitionTime`, `SliceThickness`,
/// `SpacingBetweenSlices`, `EchoNumber` (multi-echo series), `EchoTime`, `RepetitionTime`,
/// `InversionTime`, `FlipAngle`, `FrameTimesStart` (4-D stacks: the start of each temporal
/// position in seconds after the first — BIDS' name for it in PET, used here for DCE and other
/// time series), `ConversionSoftware`. An Enhanced file's values come from its top level, else
/// its first frame's functional groups (MR Timing and Related Parameters, MR Echo, Pixel Measures).
struct BIDSSidecar {
    private(set) var entries: [(String, JSONValue)] = []

    init(stack: ConversionSeries.Stack, converted: ConvertedStack) {
        let ds = stack.header.dataSet
        let frameIndex = converted.firstFrame.candidate.frame
        let perFrame = ds.sequence(.perFrameFunctionalGroupsSequence)
        let item = perFrame.flatMap { frameIndex < $0.count ? $0[frameIndex] : nil }
        let shared = ds.sequence(.sharedFunctionalGroupsSequence)?.first
        func group(_ tag: DICOMTag) -> DICOMDataSet? { item?.sequence(tag)?.first ?? shared?.sequence(tag)?.first }
        func decimal(_ tag: DICOMTag, in groupTag: DICOMTag? = nil) -> Double? {
            if let v = (try? ds.decimal(tag)) ?? nil { return v }
            guard let groupTag, let g = group(groupTag) else { return nil }
            return (try? g.decimal(tag)) ?? nil
        }
        func text(_ tag: DICOMTag) -> String? {
            guard let v = ds.string(tag), !v.isEmpty else { return nil }
            return v
        }

        add("Modality", text(.modality).map(JSONValue.string))
        add("MagneticFieldStrength", decimal(.magneticFieldStrength).map(JSONValue.number))
        add("Manufacturer", text(.manufacturer).map { .string(Self.manufacturer($0)) })
        add("ManufacturersModelName", text(.manufacturerModelName).map(JSONValue.string))
        add("SeriesDescription", text(.seriesDescription).map(JSONValue.string))
        add("ProtocolName", text(.protocolName).map(JSONValue.string))
        add("ImageType", ds.strings(.imageType).map { JSONValue.array($0.map(JSONValue.string)) })
        add("SeriesNumber", ((try? ds.integer(.seriesNumber)) ?? nil).map { JSONValue.integer($0) })
        add("AcquisitionTime", (converted.acquisitionTime ?? text(.acquisitionTime)).flatMap(DICOMTime.bidsTime).map(JSONValue.string))
        let candidate = converted.firstFrame.candidate
        add("SliceThickness", candidate.thickness.map(JSONValue.number))
        add("SpacingBetweenSlices", candidate.between.map(JSONValue.number))
        add("EchoNumber", stack.echoNumber.map { JSONValue.integer($0) })
        add("EchoTime", converted.firstFrame.echoTime.map { .number(Self.seconds($0)) })
        add("RepetitionTime", decimal(.repetitionTime, in: .mrTimingAndRelatedParametersSequence).map { .number(Self.seconds($0)) })
        add("InversionTime", decimal(.inversionTime).map { .number(Self.seconds($0)) })
        add("FlipAngle", decimal(.flipAngle, in: .mrTimingAndRelatedParametersSequence).map(JSONValue.number))
        add("FrameTimesStart", converted.frameTimesStart.map(JSONValue.numbers))
        add("ConversionSoftware", .string("her2mri"))
    }

    private mutating func add(_ key: String, _ value: JSONValue?) {
        if let value { entries.append((key, value)) }
    }

    /// Milliseconds → seconds, rounded to 1e-9 s so 2.4 ms reads 0.0024, not 0.0023999999999999998.
    static func seconds(_ ms: Double) -> Double { (ms * 1e6).rounded() / 1e9 }

    /// dcm2niix's vendor names.
    static func manufacturer(_ raw: String) -> String {
        let u = raw.uppercased()
        if u.contains("SIEMENS") { return "Siemens" }
        if u.hasPrefix("GE") { return "GE" }
        if u.contains("PHILIPS") { return "Philips" }
        if u.contains("TOSHIBA") || u.contains("CANON") { return "Canon" }
        if u.contains("UIH") || u.contains("UNITED IMAGING") { return "UIH" }
        if u.contains("HITACHI") { return "Hitachi" }
        if u.contains("BRUKER") { return "Bruker" }
        return raw
    }

    /// The sidecar as indented JSON, keys in the order above (Support's `JSONValue`).
    var json: String { JSONValue.object(entries).prettyPrinted() }
}
