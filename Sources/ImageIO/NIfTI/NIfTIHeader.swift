import Foundation
import LinearAlgebra

/// A NIfTI-1 (348-byte) or NIfTI-2 (540-byte) header, parsed from either byte order and checked.
///
/// Values are held as nibabel 5.4's header check (`check_fix`, run by `nib.load`) leaves them:
/// a `qfac` (pixdim[0]) other than ±1 becomes 1, a qform / sform code outside 0...5 becomes 0,
/// and a zero or negative pixdim of an *unused* spatial axis (beyond dim[0]) becomes 1 or its
/// absolute value. Where nibabel would silently repair a *used* axis (zero or negative voxel
/// size), this reader refuses the file instead: a voxel size it has to guess is no basis for
/// measuring a tumour in millimetres.
///
/// Layouts: nifti1.h and nifti2.h (NIfTI Data Format Working Group, 2004 / 2011).
public struct NIfTIHeader: Sendable, Equatable {
    /// Which of the two header layouts the file uses.
    public enum Format: String, Sendable {
        /// 348-byte header, float32 fields, int16 dimensions.
        case nifti1
        /// 540-byte header, float64 fields, int64 dimensions.
        case nifti2
    }

    /// NIfTI-1 (348 bytes) or NIfTI-2 (540 bytes).
    public let format: Format
    /// True when the header (and so the voxel data) is big endian.
    public let bigEndian: Bool
    /// True for a single `.nii` file (magic `n+1` / `n+2`), false for a `.hdr` / `.img` pair.
    public let isSingleFile: Bool
    /// `dim[0...7]`: dim[0] is the number of axes (1...7), dim[1...] their extents.
    public let dim: [Int]
    /// The voxel type.
    public let datatype: NIfTIDatatype
    /// `bitpix` as stored; not trusted: voxels are read with the datatype's size, as nibabel does.
    public let bitpix: Int
    /// `pixdim[0...7]`: pixdim[0] is qfac (±1), pixdim[1...] the voxel sizes / time step.
    public let pixdim: [Double]
    /// Byte offset of the voxel data in the data file.
    public let voxOffset: Int
    /// `scl_slope` as stored (see `slopeInter` for how it is applied).
    public let storedSclSlope: Double
    /// `scl_inter` as stored.
    public let storedSclInter: Double
    /// `xyzt_units` (bits 0-2 space, 3-5 time; 2 = mm, 8 = s).
    public let xyztUnits: Int
    /// `intent_code`.
    public let intentCode: Int
    /// `qform_code` (0 unknown, 1 scanner, 2 aligned, 3 Talairach, 4 MNI, 5 template).
    public let qformCode: Int
    /// `sform_code`, same codes as `qformCode`.
    public let sformCode: Int
    /// `quatern_b`, `quatern_c`, `quatern_d`.
    public let quaternion: SIMD3<Double>
    /// `qoffset_x`, `qoffset_y`, `qoffset_z` (RAS+ mm).
    public let qoffset: SIMD3<Double>
    /// `srow_x`, `srow_y`, `srow_z`: the three rows of the sform affine.
    public let srow: [[Double]]
    /// `descrip` (up to 80 bytes, trailing NULs removed).
    public let descriptionText: String

    /// Header size on disk: 348 or 540.
    public var headerSize: Int { format == .nifti1 ? 348 : 540 }

    /// The number of axes, dim[0].
    public var dimensionCount: Int { dim[0] }

    /// The array shape as nibabel gives it: dim[1...dim[0]].
    public var shape: [Int] { Array(dim[1...dim[0]]) }

    /// nibabel's `get_zooms()`: pixdim[1...dim[0]], raw (time in the file's own unit).
    public var zooms: [Double] { Array(pixdim[1...dim[0]]) }

    /// Voxels in the whole array (checked against `ImageIOLimits` when parsing, so no overflow).
    public var voxelCount: Int { shape.reduce(1, *) }

    /// Bytes of voxel data the header calls for.
    public var payloadByteCount: Int { voxelCount * datatype.byteCount }

    /// The scaling nibabel applies (`Nifti1Header.get_slope_inter`): nil when `scl_slope` is 0 or
    /// not finite (the data are then used unscaled); otherwise value = stored · slope + inter.
    public var slopeInter: (slope: Double, inter: Double)? {
        guard storedSclSlope != 0, storedSclSlope.isFinite else { return nil }
        return (storedSclSlope, storedSclInter)
    }

    // MARK: - Affines (all voxel index → RAS+ mm, 4 × 4 row-major)

    /// nibabel's `get_best_affine()`: the sform when sform_code > 0, else the qform when
    /// qform_code > 0, else the pixdim-based base affine.
    public func bestAffine(file: String = "") throws -> Matrix {
        if sformCode != 0 { return sformAffine }
        if qformCode != 0 { return try qformAffine(file: file) }
        return baseAffine
    }

    /// The sform rows as a 4 × 4 matrix (nibabel's `get_sform()`).
    public var sformAffine: Matrix {
        var m = Matrix.identity(4)
        for r in 0..<3 { for c in 0..<4 { m[r, c] = srow[r][c] } }
        return m
    }

    /// nibabel's `get_qform()`: R(quaternion) · diag(pixdim[1], pixdim[2], qfac · pixdim[3])
    /// plus the qoffset. The quaternion's a = √(1 − b² − c² − d²) is taken as 0 when 1 − b² − c²
    /// − d² is within 3 ε (float32 ε for NIfTI-1, float64 ε for NIfTI-2) of zero, and the file is
    /// refused when it is more negative (nibabel's `fillpositive`); the rotation is
    /// `quat2mat` (normalising by the quaternion's norm).
    public func qformAffine(file: String = "") throws -> Matrix {
        let (b, c, d) = (quaternion.x, quaternion.y, quaternion.z)
        let w2 = 1.0 - (b * b + c * c + d * d)
        let threshold = 3 * (format == .nifti1 ? Double(Float.ulpOfOne) : Double.ulpOfOne)
        let a: Double
        if abs(w2) < threshold {
            a = 0
        } else if w2 < 0 || !w2.isFinite {
            throw ImageIOError.invalidHeader(
                file: file, field: "quatern_b/c/d",
                reason: "(\(b), \(c), \(d)) is not part of a unit quaternion (b² + c² + d² > 1)")
        } else {
            a = w2.squareRoot()
        }
        let rotation = NIfTIHeader.rotation(a: a, b: b, c: c, d: d)
        let qfac = pixdim[0]
        let voxel = SIMD3(pixdim[1], pixdim[2], pixdim[3] * qfac)
        var m = Matrix.identity(4)
        for r in 0..<3 {
            for col in 0..<3 { m[r, col] = rotation[r][col] * voxel[col] }
            m[r, 3] = qoffset[r]
        }
        return m
    }

    /// nibabel's `get_base_affine()` (`shape_zoom_affine` with x flipped): diag(−z₁, z₂, z₃) and
    /// the array centre at the origin; axes beyond dim[0] count with extent 1 and size 1.
    public var baseAffine: Matrix {
        var m = Matrix.identity(4)
        for axis in 0..<3 {
            let used = axis < dimensionCount
            let extent = used ? Double(dim[axis + 1]) : 1
            var zoom = used ? pixdim[axis + 1] : 1
            if axis == 0 { zoom = -zoom }
            m[axis, axis] = zoom
            m[axis, 3] = -(extent - 1) / 2 * zoom
        }
        return m
    }

    /// nibabel's `quat2mat` for the quaternion (a, b, c, d) = (w, x, y, z).
    static func rotation(a w: Double, b x: Double, c y: Double, d z: Double) -> [[Double]] {
        let nq = w * w + x * x + y * y + z * z
        guard nq >= Double.ulpOfOne else { return [[1, 0, 0], [0, 1, 0], [0, 0, 1]] }
        let s = 2 / nq
        let (xs, ys, zs) = (x * s, y * s, z * s)
        let (wx, wy, wz) = (w * xs, w * ys, w * zs)
        let (xx, xy, xz) = (x * xs, x * ys, x * zs)
        let (yy, yz, zz) = (y * ys, y * zs, z * zs)
        return [[1 - (yy + zz), xy - wz, xz + wy],
                [xy + wz, 1 - (xx + zz), yz - wx],
                [xz - wy, yz + wx, 1 - (xx + yy)]]
    }

    // MARK: - Parsing

    /// Parses and checks the header at the start of `bytes` (a whole file or at least its
    /// header). Every fault is an `ImageIOError` naming `file` and the field.
    public static func parse(_ bytes: UnsafeRawBufferPointer, file: String) throws -> NIfTIHeader {
        guard bytes.count >= 4 else {
            throw ImageIOError.truncated(file: file, reason: "\(bytes.count) bytes, too short for a NIfTI header")
        }
        let sizeLE = Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: 0, as: Int32.self))
        let sizeBE = Int32(bigEndian: bytes.loadUnaligned(fromByteOffset: 0, as: Int32.self))
        let format: Format
        let bigEndian: Bool
        switch (sizeLE, sizeBE) {
        case (348, _): (format, bigEndian) = (.nifti1, false)
        case (_, 348): (format, bigEndian) = (.nifti1, true)
        case (540, _): (format, bigEndian) = (.nifti2, false)
        case (_, 540): (format, bigEndian) = (.nifti2, true)
        default:
            throw ImageIOError.notRecognised(
                file: file, reason: "sizeof_hdr is \(sizeLE) (\(sizeBE) byte-swapped), not 348 (NIfTI-1) or 540 (NIfTI-2)")
        }
        let size = format == .nifti1 ? 348 : 540
        guard bytes.count >= size else {
            throw ImageIOError.truncated(file: file, reason: "\(bytes.count) bytes, but the \(format.rawValue) header needs \(size)")
        }
        let r = FieldReader(bytes: bytes, bigEndian: bigEndian)
        return format == .nifti1 ? try parse1(r, file: file) : try parse2(r, file: file)
    }

    /// The NIfTI-1 field offsets (nifti1.h).
    private static func parse1(_ r: FieldReader, file: String) throws -> NIfTIHeader {
        let magic = r.bytes(344, 4)
        let single: Bool
        switch magic {
        case [0x6E, 0x2B, 0x31, 0]: single = true // "n+1\0"
        case [0x6E, 0x69, 0x31, 0]: single = false // "ni1\0"
        default: throw badMagic(magic, expected: "'n+1' or 'ni1'", file: file)
        }
        let voxOffset = r.float32(108)
        guard voxOffset.isFinite, voxOffset >= 0, voxOffset < 1e15 else {
            throw ImageIOError.invalidHeader(file: file, field: "vox_offset", reason: "\(voxOffset) is not a byte offset")
        }
        return try NIfTIHeader(
            checking: file, format: .nifti1, bigEndian: r.bigEndian, isSingleFile: single,
            dim: (0..<8).map { Int(r.int16(40 + 2 * $0)) },
            datatypeCode: Int(r.int16(70)), bitpix: Int(r.int16(72)),
            pixdim: (0..<8).map { r.float32(76 + 4 * $0) },
            voxOffset: Int(voxOffset),
            sclSlope: r.float32(112), sclInter: r.float32(116),
            xyztUnits: Int(r.bytes(123, 1)[0]), intentCode: Int(r.int16(68)),
            qformCode: Int(r.int16(252)), sformCode: Int(r.int16(254)),
            quaternion: SIMD3(r.float32(256), r.float32(260), r.float32(264)),
            qoffset: SIMD3(r.float32(268), r.float32(272), r.float32(276)),
            srow: (0..<3).map { row in (0..<4).map { r.float32(280 + 16 * row + 4 * $0) } },
            descrip: r.bytes(148, 80))
    }

    /// The NIfTI-2 field offsets (nifti2.h).
    private static func parse2(_ r: FieldReader, file: String) throws -> NIfTIHeader {
        let magic = r.bytes(4, 4)
        let single: Bool
        switch magic {
        case [0x6E, 0x2B, 0x32, 0]: single = true // "n+2\0"
        case [0x6E, 0x69, 0x32, 0]: single = false // "ni2\0"
        default: throw badMagic(magic, expected: "'n+2' or 'ni2'", file: file)
        }
        // nibabel refuses an end-of-line check that is neither 0 0 0 0 nor \r \n \x1a \n:
        // the file went through a text-mode transfer.
        let eol = r.bytes(8, 4)
        guard eol == [13, 10, 26, 10] || eol == [0, 0, 0, 0] else {
            throw ImageIOError.invalidHeader(
                file: file, field: "magic (end-of-line check)",
                reason: "bytes \(eol) are not 13 10 26 10: the file was probably damaged by a text-mode transfer")
        }
        let voxOffset = r.int64(168)
        guard voxOffset >= 0, voxOffset < 1 << 50 else {
            throw ImageIOError.invalidHeader(file: file, field: "vox_offset", reason: "\(voxOffset) is not a byte offset")
        }
        return try NIfTIHeader(
            checking: file, format: .nifti2, bigEndian: r.bigEndian, isSingleFile: single,
            dim: (0..<8).map { Int(r.int64(16 + 8 * $0)) },
            datatypeCode: Int(r.int16(12)), bitpix: Int(r.int16(14)),
            pixdim: (0..<8).map { r.float64(104 + 8 * $0) },
            voxOffset: Int(voxOffset),
            sclSlope: r.float64(176), sclInter: r.float64(184),
            xyztUnits: Int(r.int32(500)), intentCode: Int(r.int32(504)),
            qformCode: Int(r.int32(344)), sformCode: Int(r.int32(348)),
            quaternion: SIMD3(r.float64(352), r.float64(360), r.float64(368)),
            qoffset: SIMD3(r.float64(376), r.float64(384), r.float64(392)),
            srow: (0..<3).map { row in (0..<4).map { r.float64(400 + 32 * row + 8 * $0) } },
            descrip: r.bytes(240, 80))
    }

    private static func badMagic(_ magic: [UInt8], expected: String, file: String) -> ImageIOError {
        let shown = magic.map { (0x20..<0x7F).contains($0) ? String(UnicodeScalar($0)) : "\\x" + String($0, radix: 16) }.joined()
        let hint = magic.allSatisfy { $0 == 0 } ? " (an Analyze 7.5 header? only NIfTI is read)" : ""
        return .notRecognised(file: file, reason: "magic is '\(shown)', expected \(expected)\(hint)")
    }

    /// Checks the raw fields and applies nibabel's repairs (see the type's comment).
    private init(checking file: String, format: Format, bigEndian: Bool, isSingleFile: Bool,
                 dim: [Int], datatypeCode: Int, bitpix: Int, pixdim rawPixdim: [Double],
                 voxOffset: Int, sclSlope: Double, sclInter: Double, xyztUnits: Int, intentCode: Int,
                 qformCode: Int, sformCode: Int, quaternion: SIMD3<Double>, qoffset: SIMD3<Double>,
                 srow: [[Double]], descrip: [UInt8]) throws {
        // Dimensions.
        let ndim = dim[0]
        guard (1...7).contains(ndim) else {
            throw ImageIOError.invalidHeader(file: file, field: "dim[0]", reason: "\(ndim) axes; NIfTI allows 1 to 7")
        }
        for axis in 1...ndim {
            guard dim[axis] >= 1 else {
                throw ImageIOError.invalidHeader(file: file, field: "dim[\(axis)]", reason: "extent \(dim[axis]); it must be at least 1")
            }
            guard dim[axis] <= ImageIOLimits.maximumExtent else {
                throw ImageIOError.tooLarge(file: file, reason: "dim[\(axis)] = \(dim[axis]) exceeds \(ImageIOLimits.maximumExtent)")
            }
        }
        if ndim >= 5 {
            for axis in 5...ndim where dim[axis] > 1 {
                throw ImageIOError.unsupported(
                    file: file, reason: "dim[\(axis)] = \(dim[axis]): only 3-D images and 4-D series (dim[5...7] = 1) are read")
            }
        }
        // Datatype and payload size, before anything is allocated.
        guard let datatype = NIfTIDatatype(rawValue: datatypeCode) else {
            throw ImageIOError.unsupported(
                file: file, reason: "datatype code \(datatypeCode) (\(NIfTIDatatype.nameOfUnsupported(code: datatypeCode))); "
                    + "only int8/16/32, uint8/16/32, float32 and float64 are read")
        }
        var voxels = 1
        for axis in 1...ndim {
            let (product, overflow) = voxels.multipliedReportingOverflow(by: dim[axis])
            guard !overflow else { throw ImageIOError.tooLarge(file: file, reason: "dimensions \(Array(dim[1...ndim])) overflow") }
            voxels = product
        }
        let widest = max(datatype.byteCount, MemoryLayout<Float>.size)
        let (bytesNeeded, overflow) = voxels.multipliedReportingOverflow(by: widest)
        guard !overflow, bytesNeeded <= ImageIOLimits.maximumPayloadBytes else {
            throw ImageIOError.tooLarge(
                file: file, reason: "\(Array(dim[1...ndim])) voxels of \(datatype) need more than \(ImageIOLimits.maximumPayloadBytes) bytes")
        }
        // Voxel sizes: used spatial axes must be positive; nibabel's repairs for the rest.
        var pixdim = rawPixdim
        for axis in 1...3 {
            let v = pixdim[axis]
            if axis <= ndim {
                guard v.isFinite, v > 0 else {
                    throw ImageIOError.invalidHeader(
                        file: file, field: "pixdim[\(axis)]",
                        reason: "voxel size \(v) along axis \(axis); it must be finite and > 0")
                }
            } else if v == 0 || !v.isFinite {
                pixdim[axis] = 1
            } else if v < 0 {
                pixdim[axis] = -v
            }
        }
        if pixdim[0] != 1 && pixdim[0] != -1 { pixdim[0] = 1 }
        // Data offset.
        let minimum = format == .nifti1 ? 352 : 544
        if isSingleFile && voxOffset < minimum {
            throw ImageIOError.invalidHeader(
                file: file, field: "vox_offset",
                reason: "\(voxOffset) is inside the header; a single-file \(format.rawValue) keeps its data at \(minimum) or later")
        }
        // Scaling: nibabel refuses a valid slope with a non-finite intercept.
        if sclSlope != 0, sclSlope.isFinite, !sclInter.isFinite {
            throw ImageIOError.invalidHeader(
                file: file, field: "scl_inter", reason: "\(sclInter) with scl_slope \(sclSlope): the scaled values would not be numbers")
        }
        self.format = format
        self.bigEndian = bigEndian
        self.isSingleFile = isSingleFile
        self.dim = dim
        self.datatype = datatype
        self.bitpix = bitpix
        self.pixdim = pixdim
        self.voxOffset = voxOffset
        self.storedSclSlope = sclSlope
        self.storedSclInter = sclInter
        self.xyztUnits = xyztUnits
        self.intentCode = intentCode
        self.qformCode = (0...5).contains(qformCode) ? qformCode : 0
        self.sformCode = (0...5).contains(sformCode) ? sformCode : 0
        self.quaternion = quaternion
        self.qoffset = qoffset
        self.srow = srow
        let text = descrip.prefix { $0 != 0 }
        self.descriptionText = String(decoding: text, as: UTF8.self)
    }
}

/// Reads fixed-offset fields of one byte order from a header already checked to be long enough.
private struct FieldReader {
    let bytes: UnsafeRawBufferPointer
    let bigEndian: Bool

    func bytes(_ offset: Int, _ count: Int) -> [UInt8] { Array(bytes[offset..<(offset + count)]) }

    func int16(_ offset: Int) -> Int16 {
        let raw = bytes.loadUnaligned(fromByteOffset: offset, as: Int16.self)
        return bigEndian ? Int16(bigEndian: raw) : Int16(littleEndian: raw)
    }

    func int32(_ offset: Int) -> Int32 {
        let raw = bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self)
        return bigEndian ? Int32(bigEndian: raw) : Int32(littleEndian: raw)
    }

    func int64(_ offset: Int) -> Int64 {
        let raw = bytes.loadUnaligned(fromByteOffset: offset, as: Int64.self)
        return bigEndian ? Int64(bigEndian: raw) : Int64(littleEndian: raw)
    }

    func float32(_ offset: Int) -> Double {
        let raw = bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
        return Double(Float(bitPattern: bigEndian ? UInt32(bigEndian: raw) : UInt32(littleEndian: raw)))
    }

    func float64(_ offset: Int) -> Double {
        let raw = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        return Double(bitPattern: bigEndian ? UInt64(bigEndian: raw) : UInt64(littleEndian: raw))
    }
}
