import Foundation
import LinearAlgebra

/// What `her2mri inspect --json` reports for a NIfTI file, named and ordered as a contract:
/// `format`, `shape`, `datatype`, `zooms`, `sclSlope`, `sclInter`, `qformCode`, `sformCode`,
/// `affine`, `scaledData` {`shape`, `sum`, `min`, `max`, `mean`}.
///
/// Each value is what nibabel 5.4 gives for the same file (`img = nib.load(path)`):
/// `shape` = `img.shape`; `zooms` = `img.header.get_zooms()`; `affine` = `img.affine` (RAS+);
/// `scaledData` = statistics of `img.get_fdata()` (the scaled data) in double precision.
/// Non-finite numbers (a float image holding NaN) are written as `null`, as JSON has no NaN.
public struct NIfTISummary: Encodable, Sendable {
    /// `"nifti1"` or `"nifti2"`.
    public let format: String
    /// The array shape, dim[1...dim[0]].
    public let shape: [Int]
    /// numpy's name of the stored type as nibabel's `str(img.get_data_dtype())` prints it:
    /// `"int16"` (little endian), `">i2"` (big endian), `"uint8"`, `"float32"`, ...
    public let datatype: String
    /// pixdim[1...dim[0]], raw (time in the file's own unit).
    public let zooms: [Double]
    /// The stored `scl_slope` when nibabel's `Nifti1Header.get_slope_inter()` on the file's
    /// header applies it, nil (`null`) when the data are unscaled (slope 0 or not finite).
    /// Note: nibabel's *loaded image* header reports None always (`nib.load` moves the scaling
    /// into `img.dataobj`); this is the file's header as `Nifti1Header.from_fileobj` reads it.
    public let sclSlope: Double?
    /// The stored `scl_inter` under the same rule as `sclSlope`.
    public let sclInter: Double?
    /// `qform_code` (after nibabel's check: codes outside 0...5 read as 0).
    public let qformCode: Int
    /// `sform_code` (same rule).
    public let sformCode: Int
    /// nibabel's best affine (`img.affine`): 4 rows of 4, voxel index → RAS+ mm.
    public let affine: [[Double]]
    /// Statistics of the scaled voxel values.
    public let scaledData: Statistics

    /// Sum, extremes and mean of the scaled data (the sum accumulated in double precision).
    public struct Statistics: Encodable, Sendable {
        /// Same as the image shape.
        public let shape: [Int]
        /// Σ values.
        public let sum: Double
        /// Smallest value (NaN when any value is NaN, as numpy's `min`).
        public let min: Double
        /// Largest value (NaN when any value is NaN).
        public let max: Double
        /// sum / count.
        public let mean: Double

        /// Statistics of the scaled voxels of `payload`, decoded a block at a time (no array of
        /// the whole image in double precision).
        init(header: NIfTIHeader, payload: UnsafeRawBufferPointer) {
            var sum = 0.0
            var low = Double.infinity
            var high = -Double.infinity
            var sawNaN = false
            let n = header.voxelCount
            let block = 1 << 16
            for start in stride(from: 0, to: n, by: block) {
                let values = NIfTIReader.scaledSamples(header, payload, as: Double.self,
                                                       range: start..<Swift.min(n, start + block))
                for v in values {
                    sum += v
                    if v.isNaN { sawNaN = true } else {
                        if v < low { low = v }
                        if v > high { high = v }
                    }
                }
            }
            self.shape = header.shape
            self.sum = sum
            self.min = sawNaN ? .nan : low
            self.max = sawNaN ? .nan : high
            self.mean = sum / Double(n)
        }

        private enum CodingKeys: String, CodingKey { case shape, sum, min, max, mean }

        /// The five keys; non-finite values as null.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(shape, forKey: .shape)
            try c.encode(NIfTISummary.finite(sum), forKey: .sum)
            try c.encode(NIfTISummary.finite(min), forKey: .min)
            try c.encode(NIfTISummary.finite(max), forKey: .max)
            try c.encode(NIfTISummary.finite(mean), forKey: .mean)
        }
    }

    /// Reads `url` (any NIfTI the reader accepts) and summarises it.
    public init(contentsOf url: URL) throws {
        try self.init(NIfTIReader.load(url), file: url.path)
    }

    /// The summary of bytes already read from `url` (the fuzz tests call this directly).
    init(fileBytes: Data, url: URL) throws {
        try self.init(NIfTIReader.load(fileBytes, url: url), file: url.path)
    }

    private init(_ loaded: (NIfTIHeader, Data), file: String) throws {
        let (header, payload) = loaded
        let affine = try header.bestAffine(file: file)
        format = header.format.rawValue
        shape = header.shape
        datatype = header.datatype.numpyName(bigEndian: header.bigEndian)
        zooms = header.zooms
        sclSlope = header.slopeInter?.slope
        sclInter = header.slopeInter?.inter
        qformCode = header.qformCode
        sformCode = header.sformCode
        self.affine = (0..<4).map { affine.row($0) }
        scaledData = payload.withUnsafeBytes { Statistics(header: header, payload: $0) }
    }

    private enum CodingKeys: String, CodingKey {
        case format, shape, datatype, zooms, sclSlope, sclInter, qformCode, sformCode, affine, scaledData
    }

    /// The contract's keys (order kept only by encoders that keep it: see `orderedJSON`).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(format, forKey: .format)
        try c.encode(shape, forKey: .shape)
        try c.encode(datatype, forKey: .datatype)
        try c.encode(zooms.map(NIfTISummary.finite), forKey: .zooms)
        try c.encode(sclSlope.flatMap(NIfTISummary.finite), forKey: .sclSlope)
        try c.encode(sclInter.flatMap(NIfTISummary.finite), forKey: .sclInter)
        try c.encode(qformCode, forKey: .qformCode)
        try c.encode(sformCode, forKey: .sformCode)
        try c.encode(affine.map { $0.map(NIfTISummary.finite) }, forKey: .affine)
        try c.encode(scaledData, forKey: .scaledData)
    }

    /// The summary as one JSON object with its keys in the contract's order (`JSONEncoder` on
    /// Linux does not keep the order of keyed containers).
    public var orderedJSON: String {
        let s = scaledData
        let inner = NIfTISummary.object([
            ("shape", s.shape), ("sum", NIfTISummary.finite(s.sum)), ("min", NIfTISummary.finite(s.min)),
            ("max", NIfTISummary.finite(s.max)), ("mean", NIfTISummary.finite(s.mean)),
        ])
        return NIfTISummary.object([
            ("format", format), ("shape", shape), ("datatype", datatype), ("zooms", zooms.map(NIfTISummary.finite)),
            ("sclSlope", sclSlope.flatMap(NIfTISummary.finite)), ("sclInter", sclInter.flatMap(NIfTISummary.finite)),
            ("qformCode", qformCode), ("sformCode", sformCode),
            ("affine", affine.map { $0.map(NIfTISummary.finite) }),
        ], raw: [("scaledData", inner)])
    }

    /// `{"key":value,...}` from values encoded one by one, then already-encoded `raw` members.
    private static func object(_ members: [(String, any Encodable)], raw: [(String, String)] = []) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        func text(_ value: any Encodable) -> String {
            (try? encoder.encode(value)).flatMap { String(data: $0, encoding: .utf8) } ?? "null"
        }
        let parts = members.map { "\(text($0.0)):\(text($0.1))" } + raw.map { "\(text($0.0)):\($0.1)" }
        return "{" + parts.joined(separator: ",") + "}"
    }

    /// A value JSON can hold: nil for NaN and ±infinity.
    static func finite(_ v: Double) -> Double? { v.isFinite ? v : nil }
}
