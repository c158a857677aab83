import Foundation

/// What `her2mri inspect --json` reports for a DICOM file, keyed so that other tools can compare
/// it with pydicom: attributes as the file states them (null when absent) and statistics of the
/// stored pixel values before rescale.
///
/// Choices: `frames` is the number of frames decoded (1 when Number of Frames is absent, where
/// pydicom reports None); `storedPixels.shape` is always [frames, rows, cols] (pydicom drops the
/// leading 1 of a single frame).
public struct DICOMSummary: Encodable, Sendable {
    /// Statistics of the stored values over every frame.
    public struct PixelStatistics: Encodable, Sendable {
        public let shape: [Int]
        /// Exact (summed in 64-bit integers).
        public let sum: Int64
        public let min: Int64
        public let max: Int64
        public let mean: Double
    }

    public let format = "dicom"
    public let transferSyntax: String
    public let rows: Int?
    public let columns: Int?
    public let frames: Int?
    public let bitsAllocated: Int?
    public let bitsStored: Int?
    public let pixelRepresentation: Int?
    public let rescaleSlope: Double?
    public let rescaleIntercept: Double?
    /// [row spacing, column spacing] in mm, as (0028,0030) stores them.
    public let pixelSpacing: [Double]?
    public let sliceThickness: Double?
    public let imagePositionPatient: [Double]?
    public let imageOrientationPatient: [Double]?
    public let repetitionTime: Double?
    public let echoTime: Double?
    public let seriesDescription: String?
    public let seriesInstanceUID: String?
    public let storedPixels: PixelStatistics?

    /// Reads `url` (pixels included: a file whose pixels cannot be decoded is an error).
    public init(contentsOf url: URL) throws {
        try self.init(try DICOMReader.readFile(url))
    }

    /// The summary of a file already read.
    public init(_ file: DICOMFile) throws {
        let ds = file.dataSet
        transferSyntax = file.transferSyntax.uid
        rows = try ds.integer(.rows)
        columns = try ds.integer(.columns)
        if let p = file.pixels { frames = p.frames } else { frames = try ds.integer(.numberOfFrames) }
        bitsAllocated = try ds.integer(.bitsAllocated)
        bitsStored = try ds.integer(.bitsStored)
        pixelRepresentation = try ds.integer(.pixelRepresentation)
        rescaleSlope = try ds.decimal(.rescaleSlope)
        rescaleIntercept = try ds.decimal(.rescaleIntercept)
        pixelSpacing = try ds.decimals(.pixelSpacing)
        sliceThickness = try ds.decimal(.sliceThickness)
        imagePositionPatient = try ds.decimals(.imagePositionPatient)
        imageOrientationPatient = try ds.decimals(.imageOrientationPatient)
        repetitionTime = try ds.decimal(.repetitionTime)
        echoTime = try ds.decimal(.echoTime)
        seriesDescription = ds.string(.seriesDescription)
        seriesInstanceUID = ds.string(.seriesInstanceUID)
        if let p = file.pixels {
            var sum: Int64 = 0
            var lo = Int64.max, hi = Int64.min
            for v in p.storedValues {
                let x = Int64(v)
                sum += x
                if x < lo { lo = x }
                if x > hi { hi = x }
            }
            let n = p.storedValues.count
            storedPixels = PixelStatistics(shape: [p.frames, p.rows, p.columns], sum: sum,
                                           min: n > 0 ? lo : 0, max: n > 0 ? hi : 0,
                                           mean: n > 0 ? Double(sum) / Double(n) : 0)
        } else {
            storedPixels = nil
        }
    }

    /// The JSON object with the keys in the contract's order (JSONEncoder does not keep the
    /// order of keys on Linux); absent values as null.
    public func orderedJSON() -> String {
        func j<T: Encodable>(_ v: T) -> String {
            let e = JSONEncoder()
            e.outputFormatting = [.withoutEscapingSlashes]
            return (try? e.encode(v)).flatMap { String(data: $0, encoding: .utf8) } ?? "null"
        }
        var pixels = "null"
        if let p = storedPixels {
            pixels = "{\"shape\":\(j(p.shape)),\"sum\":\(j(p.sum)),\"min\":\(j(p.min)),\"max\":\(j(p.max)),\"mean\":\(j(p.mean))}"
        }
        let fields: [(String, String)] = [
            ("format", j(format)), ("transferSyntax", j(transferSyntax)), ("rows", j(rows)), ("columns", j(columns)),
            ("frames", j(frames)), ("bitsAllocated", j(bitsAllocated)), ("bitsStored", j(bitsStored)),
            ("pixelRepresentation", j(pixelRepresentation)), ("rescaleSlope", j(rescaleSlope)),
            ("rescaleIntercept", j(rescaleIntercept)), ("pixelSpacing", j(pixelSpacing)),
            ("sliceThickness", j(sliceThickness)), ("imagePositionPatient", j(imagePositionPatient)),
            ("imageOrientationPatient", j(imageOrientationPatient)), ("repetitionTime", j(repetitionTime)),
            ("echoTime", j(echoTime)), ("seriesDescription", j(seriesDescription)),
            ("seriesInstanceUID", j(seriesInstanceUID)), ("storedPixels", pixels),
        ]
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    private enum CodingKeys: String, CodingKey {
        case format, transferSyntax, rows, columns, frames, bitsAllocated, bitsStored, pixelRepresentation,
             rescaleSlope, rescaleIntercept, pixelSpacing, sliceThickness, imagePositionPatient,
             imageOrientationPatient, repetitionTime, echoTime, seriesDescription, seriesInstanceUID, storedPixels
    }

    /// Every key in the contract's order; absent values as null.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(format, forKey: .format)
        try c.encode(transferSyntax, forKey: .transferSyntax)
        try c.encode(rows, forKey: .rows)
        try c.encode(columns, forKey: .columns)
        try c.encode(frames, forKey: .frames)
        try c.encode(bitsAllocated, forKey: .bitsAllocated)
        try c.encode(bitsStored, forKey: .bitsStored)
        try c.encode(pixelRepresentation, forKey: .pixelRepresentation)
        try c.encode(rescaleSlope, forKey: .rescaleSlope)
        try c.encode(rescaleIntercept, forKey: .rescaleIntercept)
        try c.encode(pixelSpacing, forKey: .pixelSpacing)
        try c.encode(sliceThickness, forKey: .sliceThickness)
        try c.encode(imagePositionPatient, forKey: .imagePositionPatient)
        try c.encode(imageOrientationPatient, forKey: .imageOrientationPatient)
        try c.encode(repetitionTime, forKey: .repetitionTime)
        try c.encode(echoTime, forKey: .echoTime)
        try c.encode(seriesDescription, forKey: .seriesDescription)
        try c.encode(seriesInstanceUID, forKey: .seriesInstanceUID)
        try c.encode(storedPixels, forKey: .storedPixels)
    }
}
