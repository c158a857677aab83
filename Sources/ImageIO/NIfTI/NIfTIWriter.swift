import Foundation
import Support
import LinearAlgebra
import Volumes

/// Writes a `Volume` as a NIfTI-1 single file, little endian: `.nii`, or gzip when the name ends
/// in `.gz` (no time stamp or name in the gzip header: the same volume gives the same bytes).
///
/// The header carries the geometry twice, as NIfTI readers expect: the sform (`srow_*`, code 1
/// "scanner") is the exact voxel → RAS affine (`geometry.rasAffine`) in float32; the qform
/// (code 1) is the rigid part as a quaternion with qfac = ±1 (nifti1_io's
/// `nifti_mat44_to_quatern`, Cox et al. 2004), exact when the direction cosines are orthonormal.
/// pixdim[1...3] hold the spacing, `xyzt_units` says mm and s. Readers that prefer the sform
/// (nibabel, ITK) and those that take the qform see the same grid for an orthonormal direction.
public enum NIfTIWriter {
    /// Writes `volume` to `url` (temporary name in the same folder, then renamed into place;
    /// nothing partial is left on error).
    ///
    /// The stored value of a sample v is (v − sclInter) / sclSlope; for an integer `datatype` it
    /// is rounded half away from zero and clamped to the type's range (a NaN sample is refused).
    /// A reader gets back stored · sclSlope + sclInter. `timeStepSeconds` goes to pixdim[4] (the
    /// time between volumes of a 4-D file, e.g. DCE phases; 1 when not given).
    public static func write(_ volume: Volume, to url: URL, datatype: NIfTIDatatype = .float32,
                             sclSlope: Float = 1, sclInter: Float = 0, description: String = "",
                             timeStepSeconds: Double = 1) throws {
        let file = url.path
        var bytes = try encode(volume, datatype: datatype, sclSlope: sclSlope, sclInter: sclInter,
                               description: description, file: file, timeStepSeconds: timeStepSeconds)
        if url.lastPathComponent.lowercased().hasSuffix(".gz") {
            do {
                bytes = try Zlib.deflate(bytes, framing: .gzipOrZlib)
            } catch {
                throw ImageIOError.compression(file: file, reason: "gzip failed: \(error)")
            }
        }
        do {
            try AtomicFile.write(bytes, to: url)
        } catch let SupportError.io(_, reason) {
            throw ImageIOError.io(file: file, reason: reason)
        }
    }

    /// The uncompressed `.nii` bytes: 348-byte header, 4 zero extension bytes, data at 352.
    static func encode(_ volume: Volume, datatype: NIfTIDatatype, sclSlope: Float, sclInter: Float,
                       description: String, file: String, timeStepSeconds: Double = 1) throws -> Data {
        guard timeStepSeconds.isFinite, timeStepSeconds > 0 else {
            throw ImageIOError.invalidHeader(file: file, field: "pixdim[4]", reason: "time step \(timeStepSeconds) s; it must be finite and > 0")
        }
        guard sclSlope.isFinite, sclSlope != 0 else {
            throw ImageIOError.invalidHeader(file: file, field: "scl_slope", reason: "\(sclSlope); it must be finite and non-zero")
        }
        guard sclInter.isFinite else {
            throw ImageIOError.invalidHeader(file: file, field: "scl_inter", reason: "\(sclInter); it must be finite")
        }
        let size = volume.size
        let phases = volume.phases
        let count = volume.samples.count
        let (payload, overflow) = count.multipliedReportingOverflow(by: datatype.byteCount)
        guard !overflow, payload <= ImageIOLimits.maximumPayloadBytes,
              [size.x, size.y, size.z, phases].allSatisfy({ $0 <= Int(Int16.max) }) else {
            throw ImageIOError.tooLarge(
                file: file, reason: "a \(size.x)×\(size.y)×\(size.z)×\(phases) grid does not fit a NIfTI-1 file within the limits")
        }
        var out = [UInt8](repeating: 0, count: 352 + payload)
        try out.withUnsafeMutableBytes { buffer in
            func put<T: FixedWidthInteger>(_ value: T, _ offset: Int) {
                buffer.storeBytes(of: value.littleEndian, toByteOffset: offset, as: T.self)
            }
            func putFloat(_ value: Double, _ offset: Int) { put(Float(value).bitPattern, offset) }

            put(Int32(348), 0)
            let dims = phases > 1 ? [4, size.x, size.y, size.z, phases, 1, 1, 1] : [3, size.x, size.y, size.z, 1, 1, 1, 1]
            for (i, d) in dims.enumerated() { put(Int16(d), 40 + 2 * i) }
            put(Int16(datatype.rawValue), 70)
            put(Int16(datatype.byteCount * 8), 72)

            let ras = volume.geometry.rasAffine
            let (quaternion, qfac) = quaternion(of: ras)
            let spacing = volume.geometry.spacing
            let pixdim = [qfac, spacing.x, spacing.y, spacing.z, timeStepSeconds, 1, 1, 1]
            for (i, p) in pixdim.enumerated() { putFloat(p, 76 + 4 * i) }
            putFloat(352, 108)
            putFloat(Double(sclSlope), 112)
            putFloat(Double(sclInter), 116)
            buffer[123] = 2 | 8 // NIFTI_UNITS_MM | NIFTI_UNITS_SEC
            let text = Array(description.utf8)
            var kept = 0
            for character in description { // whole characters only, ≤ 79 bytes
                let n = character.utf8.count
                if kept + n > 79 { break }
                kept += n
            }
            for (i, b) in text.prefix(kept).enumerated() { buffer[148 + i] = b }
            put(Int16(1), 252) // qform_code: scanner
            put(Int16(1), 254) // sform_code: scanner
            for i in 0..<3 { putFloat(quaternion[i], 256 + 4 * i) }
            for i in 0..<3 { putFloat(ras[i, 3], 268 + 4 * i) }
            for r in 0..<3 { for c in 0..<4 { putFloat(ras[r, c], 280 + 16 * r + 4 * c) } }
            for (i, b) in [UInt8](arrayLiteral: 0x6E, 0x2B, 0x31, 0).enumerated() { buffer[344 + i] = b } // "n+1\0"

            try storeSamples(volume.samples, as: datatype, slope: Double(sclSlope), inter: Double(sclInter),
                             into: UnsafeMutableRawBufferPointer(rebasing: buffer[352...]), file: file)
        }
        return Data(out)
    }

    /// Stores `(v − inter) / slope` for each sample, little endian, rounded and clamped for the
    /// integer types.
    private static func storeSamples(_ samples: [Float], as datatype: NIfTIDatatype, slope: Double, inter: Double,
                                     into out: UnsafeMutableRawBufferPointer, file: String) throws {
        let identity = slope == 1 && inter == 0
        func stored(_ i: Int) -> Double { identity ? Double(samples[i]) : (Double(samples[i]) - inter) / slope }
        func integers<T: FixedWidthInteger>(_: T.Type) throws {
            let range = datatype.integerRange ?? 0...0
            for i in samples.indices {
                let v = stored(i)
                guard !v.isNaN else {
                    throw ImageIOError.unsupported(
                        file: file, reason: "sample \(i) is NaN, which the integer datatype \(datatype) cannot hold")
                }
                let clamped = Swift.min(Swift.max(v.rounded(), range.lowerBound), range.upperBound)
                out.storeBytes(of: T(clamped).littleEndian, toByteOffset: i * MemoryLayout<T>.size, as: T.self)
            }
        }
        switch datatype {
        case .uint8: try integers(UInt8.self)
        case .int8: try integers(Int8.self)
        case .int16: try integers(Int16.self)
        case .uint16: try integers(UInt16.self)
        case .int32: try integers(Int32.self)
        case .uint32: try integers(UInt32.self)
        case .float32:
            for i in samples.indices {
                out.storeBytes(of: Float(stored(i)).bitPattern.littleEndian, toByteOffset: 4 * i, as: UInt32.self)
            }
        case .float64:
            for i in samples.indices {
                out.storeBytes(of: stored(i).bitPattern.littleEndian, toByteOffset: 8 * i, as: UInt64.self)
            }
        }
    }

    /// The qform quaternion (b, c, d) and qfac of a voxel → RAS affine: the columns normalised,
    /// the third negated when the determinant is negative (qfac = −1), then the rotation
    /// matrix → quaternion conversion of nifti1_io's `nifti_mat44_to_quatern` (a ≥ 0).
    static func quaternion(of affine: Matrix) -> (SIMD3<Double>, Double) {
        var r = [[Double]](repeating: [0, 0, 0], count: 3)
        for c in 0..<3 {
            let n = (0..<3).map { affine[$0, c] * affine[$0, c] }.reduce(0, +).squareRoot()
            for row in 0..<3 { r[row][c] = n > 0 ? affine[row, c] / n : (row == c ? 1 : 0) }
        }
        let det = r[0][0] * (r[1][1] * r[2][2] - r[1][2] * r[2][1])
            - r[0][1] * (r[1][0] * r[2][2] - r[1][2] * r[2][0])
            + r[0][2] * (r[1][0] * r[2][1] - r[1][1] * r[2][0])
        var qfac = 1.0
        if det < 0 {
            qfac = -1
            for row in 0..<3 { r[row][2] = -r[row][2] }
        }
        var a = r[0][0] + r[1][1] + r[2][2] + 1
        var b = 0.0, c = 0.0, d = 0.0
        if a > 0.5 {
            a = 0.5 * a.squareRoot()
            b = 0.25 * (r[2][1] - r[1][2]) / a
            c = 0.25 * (r[0][2] - r[2][0]) / a
            d = 0.25 * (r[1][0] - r[0][1]) / a
        } else {
            let xd = 1 + r[0][0] - (r[1][1] + r[2][2])
            let yd = 1 + r[1][1] - (r[0][0] + r[2][2])
            let zd = 1 + r[2][2] - (r[0][0] + r[1][1])
            if xd > 1 {
                b = 0.5 * xd.squareRoot()
                c = 0.25 * (r[0][1] + r[1][0]) / b
                d = 0.25 * (r[0][2] + r[2][0]) / b
                a = 0.25 * (r[2][1] - r[1][2]) / b
            } else if yd > 1 {
                c = 0.5 * yd.squareRoot()
                b = 0.25 * (r[0][1] + r[1][0]) / c
                d = 0.25 * (r[1][2] + r[2][1]) / c
                a = 0.25 * (r[0][2] - r[2][0]) / c
            } else {
                d = 0.5 * zd.squareRoot()
                b = 0.25 * (r[0][2] + r[2][0]) / d
                c = 0.25 * (r[1][2] + r[2][1]) / d
                a = 0.25 * (r[1][0] - r[0][1]) / d
            }
            if a < 0 { b = -b; c = -c; d = -d }
        }
        return (SIMD3(b, c, d), qfac)
    }
}
