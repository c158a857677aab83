import Foundation

/// The header facts of one DICOM series that sequence classification reads: what the scanner
/// says it acquired (timing, sequence names, vendor markers, contrast), its geometry, and the
/// acquisition time of each temporal position.
public struct SeriesHeader: Sendable, Equatable {
    /// One temporal position of the series (a DCE phase candidate).
    public struct TemporalPosition: Sendable, Equatable {
        /// Temporal Position Identifier, or the rank of the position's time when there is none.
        public let identifier: Int
        /// Seconds after midnight: Content Time, else Acquisition Time; nil when neither is given.
        public let time: Double?
        /// Trigger Time (ms), when given.
        public let triggerTime: Double?
    }

    public let seriesInstanceUID: String
    public let studyInstanceUID: String?
    /// Patient ID (0010,0020) as written, to name the patient when series of two studies are mixed.
    public let patientID: String?
    public let files: [URL]
    public let seriesNumber: Int?
    public let description: String
    public let manufacturer: String
    public let imageType: [String]
    /// (0018,0024), Siemens's e.g. "*fl3d1".
    public let sequenceName: String
    /// GE's pulse-sequence name, private (0019,xx9C) of creator "GEMS_ACQU_01", e.g. "efgre3d".
    public let gePulseSequence: String
    public let scanningSequence: [String]
    public let scanOptions: [String]
    public let repetitionTime: Double?
    public let echoTime: Double?
    public let contrastAgent: String?
    public let rows: Int
    public let columns: Int
    public let pixelSpacing: [Double]
    /// Image Orientation (Patient) of the first file.
    public let orientation: [Double]
    /// True when the files do not share one orientation (a localizer or tri-planar pilot).
    public let mixedOrientation: Bool
    /// Number of Temporal Positions as declared, if any.
    public let declaredTemporalPositions: Int?
    /// The temporal positions found in the files, in acquisition order.
    public let temporalPositions: [TemporalPosition]

    /// Lower-case words of the Series Description (runs of letters and digits).
    public var descriptionWords: [String] { SeriesHeaderWords.words(description) }

    /// True when a fat-suppression marker is present: scan options FS / WE / SP / SFS, a water
    /// excitation sequence name, or a description word such as "fs", "fatsat", "spair", "stir" —
    /// unless the description negates it ("non fs", "nonfs", "no fat sat", "wo fs").
    public var fatSuppressed: Bool {
        if sequenceName.lowercased().contains("_we") { return true }
        return SeriesHeaderWords.fatSuppressed(description: description, options: scanOptions)
    }

    /// Reads the headers (not the pixels) of the files of one series.
    public init(seriesInstanceUID: String, files: [URL]) throws {
        precondition(!files.isEmpty, "a series has at least one file")
        let sorted = files.sorted { $0.path < $1.path }
        var headers: [DICOMDataSet] = []
        for url in sorted { headers.append(try DICOMReader.readHeader(url).dataSet) }
        let first = headers[0]
        self.seriesInstanceUID = seriesInstanceUID
        self.files = sorted
        studyInstanceUID = first.string(.studyInstanceUID)
        patientID = first.string(.patientID).flatMap { $0.isEmpty ? nil : $0 }
        seriesNumber = try? first.integer(.seriesNumber)
        description = first.string(.seriesDescription) ?? ""
        manufacturer = first.string(.manufacturer) ?? ""
        imageType = (first.strings(.imageType) ?? []).map { $0.uppercased() }
        sequenceName = first.string(.sequenceName) ?? ""
        gePulseSequence = SeriesHeader.privateString(first, group: 0x0019, creator: "GEMS_ACQU_01", element: 0x9C) ?? ""
        scanningSequence = first.strings(.scanningSequence) ?? []
        scanOptions = first.strings(.scanOptions) ?? []
        repetitionTime = try first.decimal(.repetitionTime)
        echoTime = try first.decimal(.echoTime)
        contrastAgent = first.string(.contrastBolusAgent).flatMap { $0.isEmpty ? nil : $0 }
        rows = try first.integer(.rows) ?? 0
        columns = try first.integer(.columns) ?? 0
        pixelSpacing = try first.decimals(.pixelSpacing) ?? []
        let iop = try first.decimals(.imageOrientationPatient) ?? []
        orientation = iop
        var mixed = false
        for h in headers.dropFirst() {
            let other = try h.decimals(.imageOrientationPatient) ?? []
            if other.count != iop.count || zip(other, iop).contains(where: { abs($0 - $1) > 1e-3 }) { mixed = true; break }
        }
        mixedOrientation = mixed
        declaredTemporalPositions = try first.integer(.numberOfTemporalPositions)

        // Temporal positions: by identifier when present, else by distinct acquisition time.
        var byKey: [String: (id: Int?, time: Double?, trigger: Double?)] = [:]
        for h in headers {
            let id = try h.integer(.temporalPositionIdentifier)
            let time = SeriesHeader.seconds(h.string(.contentTime)) ?? SeriesHeader.seconds(h.string(.acquisitionTime))
            let acquisition = SeriesHeader.seconds(h.string(.acquisitionTime))
            let trigger = try h.decimal(.triggerTime)
            let key: String
            if let id { key = "id\(id)" } else if let acquisition { key = "t\(acquisition)" } else { key = "single" }
            let old = byKey[key]
            byKey[key] = (id, [old?.time, time].compactMap { $0 }.min(), old?.trigger ?? trigger)
        }
        // Order: identifier, else time, else trigger time.
        let ordered = byKey.values.sorted { a, b in
            if let x = a.id, let y = b.id { return x < y }
            if let x = a.time, let y = b.time, x != y { return x < y }
            return (a.trigger ?? 0) < (b.trigger ?? 0)
        }
        temporalPositions = ordered.enumerated().map { i, p in
            TemporalPosition(identifier: p.id ?? (i + 1), time: p.time, triggerTime: p.trigger)
        }
    }

    /// A private element's text, found through its creator: (gggg,00xx) = creator reserves
    /// the block xx, and the element lives at (gggg, xx·256 + element).
    static func privateString(_ ds: DICOMDataSet, group: UInt16, creator: String, element: UInt16) -> String? {
        for block in UInt16(0x10)...UInt16(0xFF) {
            guard let owner = ds.string(DICOMTag(group, block)) else { continue }
            if owner.trimmingCharacters(in: .whitespaces).uppercased() == creator.uppercased() {
                return ds.string(DICOMTag(group, block << 8 | element))
            }
        }
        return nil
    }

    /// Seconds after midnight of a DICOM TM value (HHMMSS.FFFFFF, or HH:MM:SS in old files).
    static func seconds(_ tm: String?) -> Double? {
        guard var s = tm?.trimmingCharacters(in: .whitespaces), !s.isEmpty else { return nil }
        s = s.replacingOccurrences(of: ":", with: "")
        let parts = s.split(separator: ".", maxSplits: 1)
        let hms = Array(parts[0])
        guard hms.count >= 2, hms.allSatisfy(\.isNumber) else { return nil }
        func field(_ i: Int) -> Double { hms.count >= i + 2 ? Double(String(hms[i..<(i + 2)])) ?? 0 : 0 }
        var value = field(0) * 3600 + field(2) * 60 + field(4)
        if parts.count == 2, let frac = Double("0." + parts[1]) { value += frac }
        return value
    }
}

/// The word rules behind `SeriesHeader.fatSuppressed`, apart so they can be tested alone.
enum SeriesHeaderWords {
    /// Lower-case runs of letters and digits.
    static func words(_ text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    static func fatSuppressed(description: String, options scanOptions: [String]) -> Bool {
        let options = Set(scanOptions.map { $0.uppercased() })
        if !options.isDisjoint(with: ["FS", "WE", "SFS", "SP", "FAT_SAT", "SPAIR", "IR"]) { return true }
        let words = self.words(description)
        let markers: Set<String> = ["fs", "fatsat", "spair", "spir", "stir", "tirm", "we", "fsat"]
        for (i, w) in words.enumerated() {
            if w == "nonfs" || w == "nofs" { return false }
            let negated = i > 0 && ["non", "no", "wo", "without"].contains(words[i - 1])
            if negated && (markers.contains(w) || w == "fat") { return false }
            if markers.contains(w) { return true }
            if w == "fat", i + 1 < words.count, ["sat", "suppressed", "suppression", "sup"].contains(words[i + 1]) { return true }
        }
        return false
    }
}
