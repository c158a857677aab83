import Foundation

/// What a codec needs to know about one frame, taken from the DICOM header (group 0028).
struct DICOMFrameInfo: Sendable, Equatable {
    let rows: Int
    let columns: Int
    let bitsAllocated: Int
    let bitsStored: Int
    /// 0 unsigned, 1 signed (two's complement).
    let pixelRepresentation: Int
    let samplesPerPixel: Int
    let photometric: String
}

/// Decodes the bytes of one compressed frame (its encapsulated fragments, in order) into the
/// stored pixel values (before rescale), row-major, `rows × columns` values.
///
/// Which decoder runs is decided by the transfer syntax, and for the JPEG family also by the
/// start-of-frame marker actually present (a lossless stream labelled as baseline still decodes).
/// Values are normalised as pydicom 3 does: for RLE and JPEG, bits above Bits Stored are
/// dropped and signed data (Pixel Representation 1) is sign-extended from Bits Stored
/// (PS3.5 §8.1.1); JPEG-LS and JPEG 2000 reinterpret at their codestream's precision.
/// Anything not supported throws `ImageIOError.unsupported` naming the transfer syntax.
func decodeCompressedFrame(_ fragments: [Data], transferSyntax: String, frame: DICOMFrameInfo, file: String) throws -> [Int32] {
    let syntax = CodecTransferSyntax(uid: transferSyntax)
    try CodecTransferSyntax.validate(frame, syntax: syntax, file: file)
    let bytes: Data
    if fragments.count == 1, let only = fragments.first {
        bytes = only
    } else {
        var joined = Data()
        joined.reserveCapacity(fragments.reduce(0) { $0 + $1.count })
        for fragment in fragments { joined.append(fragment) }
        bytes = joined
    }
    guard !bytes.isEmpty else {
        throw ImageIOError.truncated(file: file, reason: "\(syntax.label): the frame has no compressed bytes")
    }
    var values: [Int32]
    switch syntax.family {
    case .rle:
        values = try RLEDecoder.decode(bytes, frame: frame, file: file)
    case .jpeg:
        values = try JPEGFamily.decode(bytes, syntax: syntax, frame: frame, file: file)
    case .jpegLS:
        // JPEG-LS and JPEG 2000 carry their own precision; they normalise as pydicom does.
        return try JPEGLSDecoder.decode(bytes, frame: frame, file: file, syntax: syntax)
    case .jpeg2000:
        return try JPEG2000Decoder.decode(bytes, frame: frame, file: file, syntax: syntax)
    case .unsupported(let why):
        throw ImageIOError.unsupported(file: file, reason: "transfer syntax \(syntax.label): \(why)")
    }
    CodecTransferSyntax.normalise(&values, bitsStored: frame.bitsStored, signed: frame.pixelRepresentation == 1)
    return values
}
