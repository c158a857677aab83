import Foundation

/// What a codec needs to know about one frame of encapsulated pixel data.
struct DICOMFrameInfo: Equatable, Sendable {
    var rows: Int
    var columns: Int
    var bitsAllocated: Int
    var bitsStored: Int
    /// 0 unsigned, 1 two's complement (PS3.3 C.7.6.3.1.4).
    var pixelRepresentation: Int
    var samplesPerPixel: Int
    var photometric: String
}

/// The codec hook: decodes the compressed bytes of one frame (its fragments, in order) of the
/// given transfer syntax into stored values (before rescale), row-major, `rows × columns`
/// values for one frame.
///
/// This stub knows no codec yet: every compressed transfer syntax is refused by name. The codec
/// work replaces this body; the signature stays.
func decodeCompressedFrame(_ fragments: [Data], transferSyntax: String, frame: DICOMFrameInfo, file: String) throws -> [Int32] {
    throw ImageIOError.unsupported(
        file: file,
        reason: "\(DICOMTransferSyntax.name(of: transferSyntax)) \(transferSyntax) is not supported yet")
}
