import Foundation
import LinearAlgebra
import Volumes

/// Reads NIfTI-1 and NIfTI-2 files: `.nii` (single file, data at `vox_offset`), `.nii.gz`
/// (gzip recognised by its magic bytes 1f 8b, not by the name) and `.hdr` / `.img` pairs
/// (either gzipped), in either byte order.
///
/// Every fault is an `ImageIOError` naming the file; sizes are checked against
/// `ImageIOLimits` before anything is allocated.
public enum NIfTIReader {
    /// Reads `url` into a header and a float32 volume (scaled, geometry in LPS).
    public static func read(contentsOf url: URL) throws -> NIfTIImage {
        try image(fileBytes: try rawContents(of: url), url: url)
    }

    /// `read(contentsOf:)` on the bytes of `url` already in memory (a caller that also hashes
    /// the file reads it once); `url` names the file in errors and finds a pair's `.img`.
    public static func read(fileBytes: Data, url: URL) throws -> NIfTIImage {
        try image(fileBytes: fileBytes, url: url)
    }

    /// `read(contentsOf:)` on bytes already read from `url` (the fuzz tests call this directly).
    static func image(fileBytes: Data, url: URL) throws -> NIfTIImage {
        let file = url.path
        let (header, payload) = try load(fileBytes, url: url)
        let samples: [Float] = payload.withUnsafeBytes { scaledSamples(header, $0, as: Float.self) }
        let geometry = try geometry(of: header, file: file)
        let size = SIMD3(header.dim[1],
                         header.dimensionCount >= 2 ? header.dim[2] : 1,
                         header.dimensionCount >= 3 ? header.dim[3] : 1)
        let phases = header.dimensionCount >= 4 ? header.dim[4] : 1
        do {
            let volume = try Volume(size: size, phases: phases, geometry: geometry, samples: samples)
            return NIfTIImage(header: header, volume: volume)
        } catch {
            throw ImageIOError.invalidHeader(file: file, field: "dim", reason: String(describing: error))
        }
    }

    /// The voxel → LPS geometry of nibabel's best affine, checked (finite, positive spacing,
    /// non-degenerate direction).
    static func geometry(of header: NIfTIHeader, file: String) throws -> Geometry {
        let source = header.sformCode != 0 ? "sform (srow_x/y/z)"
            : header.qformCode != 0 ? "qform (quatern_b/c/d, qoffset, pixdim)" : "pixdim"
        let affine = try header.bestAffine(file: file)
        guard affine.elements.allSatisfy(\.isFinite) else {
            throw ImageIOError.invalidHeader(file: file, field: source, reason: "the affine contains a non-finite value")
        }
        let geometry = Geometry.fromRAS(affine: affine)
        do {
            try geometry.validate()
        } catch {
            throw ImageIOError.invalidHeader(file: file, field: source, reason: String(describing: error))
        }
        return geometry
    }

    /// The checked header and exactly the voxel bytes it calls for (a slice of the file's bytes:
    /// no copy for an uncompressed single file).
    static func load(_ url: URL) throws -> (NIfTIHeader, Data) {
        try load(try rawContents(of: url), url: url)
    }

    /// `load(_:)` on bytes already read from `url`.
    static func load(_ fileBytes: Data, url: URL) throws -> (NIfTIHeader, Data) {
        let file = url.path
        let bytes = try inflatedIfGzip(fileBytes, file: file)
        let header = try bytes.withUnsafeBytes { try NIfTIHeader.parse($0, file: file) }
        var dataFile = file
        var data = bytes
        if !header.isSingleFile {
            let imageURL = try pairedImage(of: url)
            dataFile = imageURL.path
            data = try inflatedIfGzip(try rawContents(of: imageURL), file: dataFile)
        }
        let needed = header.payloadByteCount
        guard header.voxOffset <= data.count, needed <= data.count - header.voxOffset else {
            throw ImageIOError.truncated(
                file: dataFile,
                reason: "\(header.shape) voxels of \(header.datatype) need \(needed) bytes from offset "
                    + "\(header.voxOffset), but the \(header.isSingleFile ? "file" : "image file") has \(data.count) bytes")
        }
        let start = data.startIndex + header.voxOffset
        return (header, data[start..<(start + needed)])
    }

    /// The `.img` (or `.img.gz`) beside a `.hdr` (or `.hdr.gz`).
    private static func pairedImage(of url: URL) throws -> URL {
        let name = url.lastPathComponent
        let folder = url.deletingLastPathComponent()
        for (header, image) in [(".hdr", ".img"), (".hdr.gz", ".img.gz"), (".HDR", ".IMG")] where name.hasSuffix(header) {
            let plain = folder.appendingPathComponent(String(name.dropLast(header.count)) + image)
            if FileManager.default.fileExists(atPath: plain.path) { return plain }
            // A pair may be compressed on one side only.
            let other = image.hasSuffix(".gz") ? String(image.dropLast(3)) : image + ".gz"
            let alternative = folder.appendingPathComponent(String(name.dropLast(header.count)) + other)
            if FileManager.default.fileExists(atPath: alternative.path) { return alternative }
            throw ImageIOError.io(file: url.path, reason: "NIfTI pair header, but its image file \(plain.lastPathComponent) is missing")
        }
        throw ImageIOError.unsupported(
            file: url.path, reason: "a NIfTI pair header (magic 'ni1'/'ni2') not named .hdr; its .img cannot be found")
    }

    /// The bytes of `url` as stored.
    private static func rawContents(of url: URL) throws -> Data {
        do {
            return try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw ImageIOError.io(file: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
    }

    /// `raw` inflated when it starts with the gzip magic 1f 8b, else unchanged.
    private static func inflatedIfGzip(_ raw: Data, file: String) throws -> Data {
        guard raw.count >= 2, raw[raw.startIndex] == 0x1f, raw[raw.startIndex + 1] == 0x8b else { return raw }
        // Header and extensions are small; the payload is bounded by the limits.
        return try Zlib.inflate(raw, framing: .gzipOrZlib, limit: ImageIOLimits.maximumPayloadBytes + (64 << 20), file: file)
    }

    /// The voxels `range` of `payload` (which holds `header.payloadByteCount` bytes) as `Out`,
    /// scaled by nibabel's rule: stored · slope + inter in double precision when `slopeInter`
    /// is set (`ArrayProxy._get_scaled` / `apply_read_scaling`), else the stored values.
    static func scaledSamples<Out: BinaryFloatingPoint>(_ header: NIfTIHeader, _ payload: UnsafeRawBufferPointer,
                                                        as _: Out.Type, range: Range<Int>? = nil) -> [Out] {
        let range = range ?? 0..<header.voxelCount
        precondition(range.lowerBound >= 0 && range.upperBound <= header.voxelCount
            && payload.count >= header.payloadByteCount, "payload shorter than the header says")
        let scaling = header.slopeInter
        let slope = scaling?.slope ?? 1
        let inter = scaling?.inter ?? 0
        let big = header.bigEndian
        let first = range.lowerBound
        // Fast paths for the common unscaled little-endian float32 and 8/16-bit images read as
        // float32: the values the general loop gives, except that a stored −0.0 stays −0.0 as
        // nibabel leaves unscaled data (the general loop's v · 1 + 0 makes it +0.0). The
        // general loop is their slow twin in NIfTIFastPathTests.
        if scaling == nil || (slope == 1 && inter == 0), !big, Out.self == Float.self {
            let fast: [Float]? = {
                switch header.datatype {
                case .float32:
                    return [Float](unsafeUninitializedCapacity: range.count) { out, count in
                        UnsafeMutableRawBufferPointer(out).copyMemory(
                            from: UnsafeRawBufferPointer(rebasing: payload[(first * 4)..<((first + range.count) * 4)]))
                        count = range.count
                    }
                case .uint8:
                    return [Float](unsafeUninitializedCapacity: range.count) { out, count in
                        for i in 0..<range.count { out[i] = Float(payload[first + i]) }
                        count = range.count
                    }
                case .int16, .uint16:
                    let signed = header.datatype == .int16
                    return [Float](unsafeUninitializedCapacity: range.count) { out, count in
                        for i in 0..<range.count {
                            let raw = UInt16(littleEndian: payload.loadUnaligned(fromByteOffset: (first + i) * 2, as: UInt16.self))
                            out[i] = signed ? Float(Int16(bitPattern: raw)) : Float(raw)
                        }
                        count = range.count
                    }
                default:
                    return nil
                }
            }()
            // Out is Float here: the same type, so reinterpreting the array is exact (an `as!`
            // cast would walk every element).
            if let fast { return unsafeBitCast(fast, to: [Out].self) }
        }
        return [Out](unsafeUninitializedCapacity: range.count) { out, count in
            func fill<Raw: FixedWidthInteger>(_: Raw.Type, _ value: (Raw) -> Double) {
                let stride = MemoryLayout<Raw>.size
                for i in 0..<range.count {
                    let raw = payload.loadUnaligned(fromByteOffset: (first + i) * stride, as: Raw.self)
                    let v = value(big ? Raw(bigEndian: raw) : Raw(littleEndian: raw))
                    out[i] = Out(v * slope + inter)
                }
            }
            switch header.datatype {
            case .uint8: fill(UInt8.self) { Double($0) }
            case .int8: fill(Int8.self) { Double($0) }
            case .int16: fill(Int16.self) { Double($0) }
            case .uint16: fill(UInt16.self) { Double($0) }
            case .int32: fill(Int32.self) { Double($0) }
            case .uint32: fill(UInt32.self) { Double($0) }
            case .float32: fill(UInt32.self) { Double(Float(bitPattern: $0)) }
            case .float64: fill(UInt64.self) { Double(bitPattern: $0) }
            }
            count = range.count
        }
    }
}
