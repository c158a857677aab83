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
    /// A JSON value of the sidecar.
    enum Value: Equatable {
        case string(String)
        case number(Double)
        case strings([String])
        case numbers([Double])
    }

    private(set) var entries: [(key: String, value: Value)] = []

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

        add("Modality", text(.modality).map(Value.string))
        add("MagneticFieldStrength", decimal(.magneticFieldStrength).map(Value.number))
        add("Manufacturer", text(.manufacturer).map { .string(Self.manufacturer($0)) })
        add("ManufacturersModelName", text(.manufacturerModelName).map(Value.string))
        add("SeriesDescription", text(.seriesDescription).map(Value.string))
        add("ProtocolName", text(.protocolName).map(Value.string))
        add("ImageType", ds.strings(.imageType).map(Value.strings))
        add("SeriesNumber", ((try? ds.integer(.seriesNumber)) ?? nil).map { .number(Double($0)) })
        add("AcquisitionTime", (converted.acquisitionTime ?? text(.acquisitionTime)).flatMap(DICOMTime.bidsTime).map(Value.string))
        let candidate = converted.firstFrame.candidate
        add("SliceThickness", candidate.thickness.map(Value.number))
        add("SpacingBetweenSlices", candidate.between.map(Value.number))
        add("EchoNumber", stack.echoNumber.map { .number(Double($0)) })
        add("EchoTime", converted.firstFrame.echoTime.map { .number(Self.seconds($0)) })
        add("RepetitionTime", decimal(.repetitionTime, in: .mrTimingAndRelatedParametersSequence).map { .number(Self.seconds($0)) })
        add("InversionTime", decimal(.inversionTime).map { .number(Self.seconds($0)) })
        add("FlipAngle", decimal(.flipAngle, in: .mrTimingAndRelatedParametersSequence).map(Value.number))
        add("FrameTimesStart", converted.frameTimesStart.map(Value.numbers))
        add("ConversionSoftware", .string("her2mri"))
    }

    private mutating func add(_ key: String, _ value: Value?) {
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

    /// The sidecar as pretty JSON (tab-indented, one key per line, as dcm2niix writes it).
    var json: String {
        var lines: [String] = []
        for (n, entry) in entries.enumerated() {
            let comma = n + 1 < entries.count ? "," : ""
            lines.append("\t\"\(entry.key)\": \(Self.render(entry.value))\(comma)")
        }
        return "{\n" + lines.joined(separator: "\n") + "\n}\n"
    }

    static func render(_ value: Value) -> String {
        switch value {
        case .string(let s): return quote(s)
        case .number(let v): return number(v)
        case .strings(let a): return "[" + a.map(quote).joined(separator: ", ") + "]"
        case .numbers(let a): return "[" + a.map(number).joined(separator: ", ") + "]"
        }
    }

    /// Shortest round-trip text; integers without a decimal point; non-finite values as null.
    static func number(_ v: Double) -> String {
        guard v.isFinite else { return "null" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int(v)) }
        return "\(v)"
    }

    /// A JSON string literal (RFC 8259 §7).
    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
