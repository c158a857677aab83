import Foundation

/// Decodes one compressed greyscale frame held outside a DICOM file (a raw JPEG 2000, JPEG-LS,
/// JPEG or RLE stream), with the DICOM transfer syntax naming the codec. Used by tools such as
/// the `CodecBench` benchmark; DICOM files go through the DICOM reader instead.
public enum CodecFrameDecoder {
    /// The stored values, row-major; `bitsStored` and `signed` follow DICOM's (0028,0101) and
    /// (0028,0103). Throws `ImageIOError` naming `file` when the stream does not decode.
    public static func decode(_ bytes: Data, transferSyntax: String, rows: Int, columns: Int,
                              bitsAllocated: Int, bitsStored: Int, signed: Bool, file: String) throws -> [Int32] {
        let frame = DICOMFrameInfo(rows: rows, columns: columns, bitsAllocated: bitsAllocated, bitsStored: bitsStored,
                                   pixelRepresentation: signed ? 1 : 0, samplesPerPixel: 1, photometric: "MONOCHROME2")
        return try decodeCompressedFrame([bytes], transferSyntax: transferSyntax, frame: frame, file: file)
    }
}
