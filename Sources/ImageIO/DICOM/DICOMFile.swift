import Foundation

/// One DICOM Part 10 file as read: its file meta group, its data set and its decoded pixels.
public struct DICOMFile: Sendable {
    /// The path the file was read from.
    public let path: String
    /// The file meta information group (0002,xxxx).
    public let meta: DICOMDataSet
    /// The data set proper.
    public let dataSet: DICOMDataSet
    /// The transfer syntax from the meta group (or guessed for a file without one).
    public let transferSyntax: DICOMTransferSyntax
    /// True when the data set has Pixel Data (7FE0,0010), even when only the header was read.
    public let hasPixelData: Bool
    /// Decoded pixel data; nil when the file has none (or only its header was read).
    public let pixels: DICOMPixels?
    /// An upper bound on the pixel data's bytes, known also when only the header was read (the
    /// declared length of native data; the bytes to the end of the file for encapsulated data),
    /// so a frame count can be checked against the data before anything is allocated.
    public let pixelDataBytes: Int?
}
