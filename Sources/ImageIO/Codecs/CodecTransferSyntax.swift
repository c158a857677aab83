import Foundation

/// A compressed transfer syntax: its UID, its name in PS3.6 Table A-1, and the decoder family.
struct CodecTransferSyntax: Sendable, Equatable {
    enum Family: Sendable, Equatable {
        case rle
        case jpeg
        case jpegLS
        case jpeg2000
        case unsupported(String)
    }

    let uid: String
    let name: String
    let family: Family

    /// "name (UID)", as every message shows it.
    var label: String { "\(name) (\(uid))" }

    init(uid raw: String) {
        // UIDs in files may carry a trailing NUL or space pad.
        let uid = raw.trimmingCharacters(in: CharacterSet(charactersIn: "\0 "))
        self.uid = uid
        if let known = Self.table[uid] {
            name = known.0
            family = known.1
        } else {
            name = "unknown transfer syntax"
            family = .unsupported("not a transfer syntax this reader knows")
        }
    }

    /// PS3.6 Table A-1 (the compressed ones and their neighbours a user may meet).
    private static let table: [String: (String, Family)] = [
        "1.2.840.10008.1.2.5": ("RLE Lossless", .rle),
        "1.2.840.10008.1.2.4.50": ("JPEG Baseline (Process 1)", .jpeg),
        "1.2.840.10008.1.2.4.51": ("JPEG Extended (Process 2 & 4)", .jpeg),
        "1.2.840.10008.1.2.4.57": ("JPEG Lossless, Non-Hierarchical (Process 14)", .jpeg),
        "1.2.840.10008.1.2.4.70": ("JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])", .jpeg),
        "1.2.840.10008.1.2.4.80": ("JPEG-LS Lossless Image Compression", .jpegLS),
        "1.2.840.10008.1.2.4.81": ("JPEG-LS Lossy (Near-Lossless) Image Compression", .jpegLS),
        "1.2.840.10008.1.2.4.90": ("JPEG 2000 Image Compression (Lossless Only)", .jpeg2000),
        "1.2.840.10008.1.2.4.91": ("JPEG 2000 Image Compression", .jpeg2000),
        "1.2.840.10008.1.2.4.92": ("JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)", .unsupported("JPEG 2000 Part 2 multi-component is not supported; convert the series to JPEG 2000 Part 1 or uncompressed")),
        "1.2.840.10008.1.2.4.93": ("JPEG 2000 Part 2 Multi-component Image Compression", .unsupported("JPEG 2000 Part 2 multi-component is not supported; convert the series to JPEG 2000 Part 1 or uncompressed")),
        "1.2.840.10008.1.2.4.94": ("JPIP Referenced", .unsupported("the pixel data lives on a JPIP server, not in the file")),
        "1.2.840.10008.1.2.4.95": ("JPIP Referenced Deflate", .unsupported("the pixel data lives on a JPIP server, not in the file")),
        "1.2.840.10008.1.2.4.201": ("High-Throughput JPEG 2000 Image Compression (Lossless Only)", .unsupported("HTJ2K needs OpenJPEG 2.5.3 or OpenJPH; Debian 12's OpenJPEG 2.5.0 cannot decode it")),
        "1.2.840.10008.1.2.4.202": ("High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)", .unsupported("HTJ2K needs OpenJPEG 2.5.3 or OpenJPH; Debian 12's OpenJPEG 2.5.0 cannot decode it")),
        "1.2.840.10008.1.2.4.203": ("High-Throughput JPEG 2000 Image Compression", .unsupported("HTJ2K needs OpenJPEG 2.5.3 or OpenJPH; Debian 12's OpenJPEG 2.5.0 cannot decode it")),
        "1.2.840.10008.1.2.4.100": ("MPEG2 Main Profile / Main Level", .unsupported("video transfer syntaxes are not read")),
        "1.2.840.10008.1.2.4.101": ("MPEG2 Main Profile / High Level", .unsupported("video transfer syntaxes are not read")),
        "1.2.840.10008.1.2.4.102": ("MPEG-4 AVC/H.264 High Profile / Level 4.1", .unsupported("video transfer syntaxes are not read")),
        "1.2.840.10008.1.2.4.103": ("MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1", .unsupported("video transfer syntaxes are not read")),
        "1.2.840.10008.1.2.4.104": ("MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video", .unsupported("video transfer syntaxes are not read")),
        "1.2.840.10008.1.2.4.105": ("MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video", .unsupported("video transfer syntaxes are not read")),
        "1.2.840.10008.1.2.4.106": ("MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2", .unsupported("video transfer syntaxes are not read")),
        "1.2.840.10008.1.2.4.107": ("HEVC/H.265 Main Profile / Level 5.1", .unsupported("video transfer syntaxes are not read")),
        "1.2.840.10008.1.2.4.108": ("HEVC/H.265 Main 10 Profile / Level 5.1", .unsupported("video transfer syntaxes are not read")),
        "1.2.840.10008.1.2.4.110": ("JPEG XL Lossless", .unsupported("JPEG XL is not supported")),
        "1.2.840.10008.1.2.4.111": ("JPEG XL JPEG Recompression", .unsupported("JPEG XL is not supported")),
        "1.2.840.10008.1.2.4.112": ("JPEG XL", .unsupported("JPEG XL is not supported")),
        "1.2.840.10008.1.2": ("Implicit VR Little Endian", .unsupported("not a compressed transfer syntax (the parser reads it natively)")),
        "1.2.840.10008.1.2.1": ("Explicit VR Little Endian", .unsupported("not a compressed transfer syntax (the parser reads it natively)")),
        "1.2.840.10008.1.2.1.99": ("Deflated Explicit VR Little Endian", .unsupported("not an encapsulated transfer syntax (the parser inflates the whole data set)")),
        "1.2.840.10008.1.2.2": ("Explicit VR Big Endian", .unsupported("not a compressed transfer syntax (the parser reads it natively)")),
    ]

    /// Refuses frames a codec cannot produce as stored values: colour (for now), odd sizes.
    static func validate(_ frame: DICOMFrameInfo, syntax: CodecTransferSyntax, file: String) throws {
        if case .unsupported(let why) = syntax.family {
            throw ImageIOError.unsupported(file: file, reason: "transfer syntax \(syntax.label): \(why)")
        }
        guard frame.samplesPerPixel == 1 else {
            throw ImageIOError.unsupported(file: file, reason: "transfer syntax \(syntax.label): \(frame.samplesPerPixel) samples per pixel (\(frame.photometric)); only single-sample (greyscale) compressed frames are decoded")
        }
        guard frame.rows > 0, frame.columns > 0, frame.rows <= ImageIOLimits.maximumExtent, frame.columns <= ImageIOLimits.maximumExtent else {
            throw ImageIOError.invalidHeader(file: file, field: "Rows/Columns (0028,0010/0011)", reason: "\(frame.rows) × \(frame.columns) is not a frame size this reader accepts")
        }
        guard [8, 16, 32].contains(frame.bitsAllocated) else {
            throw ImageIOError.invalidHeader(file: file, field: "Bits Allocated (0028,0100)", reason: "\(frame.bitsAllocated) (expected 8, 16 or 32)")
        }
        guard frame.bitsStored >= 1, frame.bitsStored <= frame.bitsAllocated else {
            throw ImageIOError.invalidHeader(file: file, field: "Bits Stored (0028,0101)", reason: "\(frame.bitsStored) with Bits Allocated \(frame.bitsAllocated)")
        }
        guard frame.pixelRepresentation == 0 || frame.pixelRepresentation == 1 else {
            throw ImageIOError.invalidHeader(file: file, field: "Pixel Representation (0028,0103)", reason: "\(frame.pixelRepresentation) (expected 0 or 1)")
        }
    }

    /// Keeps the low `bitsStored` bits of each value, sign-extending them when `signed`
    /// (PS3.5 §8.1.1: bits above the High Bit are not part of the pixel value).
    static func normalise(_ values: inout [Int32], bitsStored: Int, signed: Bool) {
        guard bitsStored < 32 else { return }
        let shift = Int32(32 - bitsStored)
        if signed {
            values.withUnsafeMutableBufferPointer { v in
                for i in v.indices { v[i] = (v[i] << shift) >> shift }
            }
        } else {
            let mask = Int32((1 << bitsStored) - 1)
            values.withUnsafeMutableBufferPointer { v in
                for i in v.indices { v[i] &= mask }
            }
        }
    }
}
