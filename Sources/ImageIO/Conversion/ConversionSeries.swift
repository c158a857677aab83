import Foundation

/// One series of a folder cut into the stacks `DICOMConversion` writes, one NIfTI file each,
/// the way dcm2niix cuts them: echoes apart (`_e1`, `_e2`, …: EchoNumbers of single-frame images,
/// the effective echo times of an Enhanced file in the order stored), phase / real / imaginary
/// images apart from the magnitude (`_ph`, `_real`, `_imaginary`, a Philips B0 map
/// `_fieldmaphz`), and what still cannot share one grid
/// — another orientation (a localizer's planes), another matrix or pixel size, another Stack ID of
/// an Enhanced file — apart again (`_i1`, `_i2`, …). Temporal positions stay together and become
/// the fourth dimension. An Enhanced (multi-frame) file is cut frame by frame by the same keys,
/// read from its functional groups (the dimensions its Dimension Index Sequence names: stack,
/// in-stack position, temporal position, echo).
struct ConversionSeries {
    /// A frame (or single-frame file) with what cuts it into a stack.
    struct Frame {
        var candidate: DICOMSeries.Candidate
        /// EchoNumbers (0018,0086) of a single-frame image; Effective Echo Time (0018,9082) of an
        /// Enhanced frame (ranked into echo numbers per series).
        var echoKey: Double?
        /// Echo time in ms (Echo Time, or the frame's Effective Echo Time).
        var echoTime: Double?
        /// "" for magnitude, else "ph", "real", "imaginary".
        var component: String
        var stackID: String?
        /// True for a frame of a multi-frame (Enhanced) image.
        var isEnhanced = false
    }

    /// One output file's worth of frames.
    struct Stack {
        var suffix: String
        var frames: [Frame]
        /// 1-based echo number when the series has several echoes.
        var echoNumber: Int?
        /// The header of the stack's first file (for the sidecar).
        var header: DICOMFile
        /// The headers of all its files, as the scan read them.
        var headers: [URL: DICOMFile]
    }

    let uid: String
    let number: Int?
    let description: String
    let stacks: [Stack]

    /// Cuts the files of one series into stacks; throws `unsupported` for what the converter
    /// does not handle (mosaic, colour) and `invalidHeader` for frames without a placement.
    init(uid: String, files: [ConversionScan.File]) throws {
        precondition(!files.isEmpty, "a series has files")
        self.uid = uid
        let first = files[0].header
        number = try? first.dataSet.integer(.seriesNumber)
        description = first.dataSet.string(.seriesDescription) ?? ""
        try Self.checkSupported(files)

        var frames: [Frame] = []
        for f in files {
            let candidates = try DICOMSeries.candidates(of: f.header, url: f.url)
            let attributes = try DICOMFrameAttributes.frames(of: f.header)
            precondition(candidates.count == attributes.count, "one candidate per frame")
            for (c, a) in zip(candidates, attributes) {
                frames.append(try Self.frame(c, attributes: a, file: f.header))
            }
        }

        // Echo numbers: a single-frame image's EchoNumbers as they are; an Enhanced frame's
        // effective echo time ranked by first appearance (the order the scanner stored them).
        var echoKeys: [Double] = []
        for key in frames.compactMap(\.echoKey) where !echoKeys.contains(key) { echoKeys.append(key) }
        let multiEcho = echoKeys.count > 1
        let enhanced = frames.contains { $0.isEnhanced }
        if !enhanced { echoKeys.sort() }
        func echoNumber(_ key: Double?) -> Int {
            guard let key else { return 0 }
            if !enhanced, key == key.rounded(), key >= 1, key < 1000 { return Int(key) }
            return (echoKeys.firstIndex(of: key) ?? -1) + 1
        }

        // Group by (component, echo), then by what must share a grid.
        struct Key: Hashable { var component: String; var echo: Int }
        var groups: [Key: [Frame]] = [:]
        var order: [Key] = []
        for fr in frames {
            let echo = echoNumber(fr.echoKey)
            let key = Key(component: fr.component, echo: multiEcho ? echo : 0)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(fr)
        }
        let componentRank = ["": 0, "ph": 1, "real": 2, "imaginary": 3, "fieldmaphz": 4]
        order.sort { ($0.echo, componentRank[$0.component] ?? 9) < ($1.echo, componentRank[$1.component] ?? 9) }

        var byURL: [URL: DICOMFile] = [:]
        for f in files { byURL[f.url] = f.header }
        var stacks: [Stack] = []
        for key in order {
            let parts = Self.splitByGrid(groups[key] ?? [])
            for (n, part) in parts.enumerated() {
                var suffix = ""
                if multiEcho { suffix += "_e\(key.echo)" }
                if !key.component.isEmpty { suffix += "_" + key.component }
                if parts.count > 1 { suffix += "_i\(n + 1)" }
                let url = part[0].candidate.url
                let header = byURL[url] ?? first
                var headers: [URL: DICOMFile] = [:]
                for fr in part where headers[fr.candidate.url] == nil { headers[fr.candidate.url] = byURL[fr.candidate.url] }
                stacks.append(Stack(suffix: suffix, frames: part, echoNumber: multiEcho ? key.echo : nil, header: header, headers: headers))
            }
        }
        self.stacks = stacks
    }

    /// Refuses the series forms the reader does not turn into a grid, naming the reason.
    static func checkSupported(_ files: [ConversionScan.File]) throws {
        for f in files {
            let ds = f.header.dataSet
            let types = (ds.strings(.imageType) ?? []).map { $0.uppercased() }
            if types.contains("MOSAIC") {
                throw ImageIOError.unsupported(file: f.url.path, reason: "Siemens mosaic (slices tiled in one image, ImageType MOSAIC) is not supported")
            }
            let samples = try ds.integer(.samplesPerPixel) ?? 1
            let photometric = (ds.string(.photometricInterpretation) ?? "MONOCHROME2").uppercased()
            if samples != 1 || !photometric.hasPrefix("MONOCHROME") {
                throw ImageIOError.unsupported(file: f.url.path, reason: "colour images (\(samples) samples per pixel, \(photometric)) are not supported")
            }
        }
    }

    /// The cutting keys of one frame.
    static func frame(_ c: DICOMSeries.Candidate, attributes a: DICOMFrameAttributes, file: DICOMFile) throws -> Frame {
        let ds = file.dataSet
        let perFrame = ds.sequence(.perFrameFunctionalGroupsSequence)
        if perFrame != nil || ds.contains(.sharedFunctionalGroupsSequence) {
            let item = perFrame.flatMap { a.frame < $0.count ? $0[a.frame] : nil }
            let shared = ds.sequence(.sharedFunctionalGroupsSequence)?.first
            func group(_ tag: DICOMTag) -> DICOMDataSet? {
                item?.sequence(tag)?.first ?? shared?.sequence(tag)?.first
            }
            let te = try group(.mrEchoSequence)?.decimal(.effectiveEchoTime) ?? ds.decimal(.echoTime)
            let complex = group(.mrImageFrameTypeSequence)?.string(.complexImageComponent)
                ?? ds.string(.complexImageComponent)
            let frameType = group(.mrImageFrameTypeSequence)?.strings(.frameType) ?? []
            return Frame(candidate: c, echoKey: te, echoTime: te, component: component(complex: complex, frameType: frameType),
                         stackID: a.stackID, isEnhanced: true)
        }
        let echo = try ds.integer(.echoNumbers).map(Double.init)
        return Frame(candidate: c, echoKey: echo, echoTime: try ds.decimal(.echoTime),
                     component: component(imageType: ds.strings(.imageType) ?? []), stackID: nil)
    }

    /// Complex Image Component (0008,9208) of an Enhanced MR frame; a B0 map (Frame Type value 4
    /// FIELD_MAP, Philips) is `fieldmaphz`, as dcm2niix names it.
    static func component(complex: String?, frameType: [String] = []) -> String {
        if frameType.count >= 4, frameType[3].uppercased() == "FIELD_MAP" { return "fieldmaphz" }
        switch complex?.uppercased() {
        case "PHASE": return "ph"
        case "REAL": return "real"
        case "IMAGINARY": return "imaginary"
        default: return ""
        }
    }

    /// Image Type (0008,0008) of a single-frame image: value 3 onwards names the component
    /// (Siemens `P`, Philips `P` / `PHASE`, `R` / `REAL`, `I` / `IMAGINARY`), as dcm2niix reads it.
    static func component(imageType: [String]) -> String {
        let values = Set(imageType.dropFirst(2).map { $0.uppercased() })
        if !values.isDisjoint(with: ["P", "PHASE"]) { return "ph" }
        if !values.isDisjoint(with: ["R", "REAL"]) { return "real" }
        if !values.isDisjoint(with: ["I", "IMAGINARY"]) { return "imaginary" }
        return ""
    }

    /// Frames that cannot share one grid, apart: another orientation, matrix, pixel spacing or
    /// Stack ID. Parts keep the order in which their first frame came.
    static func splitByGrid(_ frames: [Frame]) -> [[Frame]] {
        var parts: [[Frame]] = []
        for fr in frames {
            let c = fr.candidate
            if let n = parts.firstIndex(where: { part in
                let p = part[0].candidate
                return p.rows == c.rows && p.columns == c.columns && part[0].stackID == fr.stackID
                    && zip(p.spacing, c.spacing).allSatisfy { abs($0 - $1) <= 1e-4 * max($0, $1) }
                    && max(Self.maxAbs(p.row - c.row), Self.maxAbs(p.column - c.column)) <= DICOMSeries.orientationTolerance
            }) {
                parts[n].append(fr)
            } else {
                parts.append([fr])
            }
        }
        return parts
    }

    private static func maxAbs(_ v: SIMD3<Double>) -> Double { max(abs(v.x), abs(v.y), abs(v.z)) }
}
