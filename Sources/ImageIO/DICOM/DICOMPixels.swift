/// The decoded pixel data of one DICOM file: stored values (before rescale) of every frame and
/// the attributes that describe them.
///
/// Layout: `storedValues[c + columns * (r + rows * f)]` for column c, row r, frame f — the
/// order of DICOM pixel data and of `Volume` (i = column fastest).
public struct DICOMPixels: Equatable, Sendable {
    public let rows: Int
    public let columns: Int
    /// Number of Frames (1 when the attribute is absent).
    public let frames: Int
    public let bitsAllocated: Int
    public let bitsStored: Int
    /// 0 unsigned, 1 two's complement.
    public let pixelRepresentation: Int
    public let photometric: String
    /// Rescale Slope (1 when absent), from the image or the shared functional groups.
    public let rescaleSlope: Double
    /// Rescale Intercept (0 when absent).
    public let rescaleIntercept: Double
    /// Stored values after Bits Stored masking and sign extension, before rescale.
    public let storedValues: [Int32]

    /// Values per frame.
    public var pixelsPerFrame: Int { rows * columns }

    /// The stored values of frame `f`.
    public func frame(_ f: Int) -> ArraySlice<Int32> {
        precondition(f >= 0 && f < frames, "frame \(f) out of 0..<\(frames)")
        return storedValues[(f * pixelsPerFrame)..<((f + 1) * pixelsPerFrame)]
    }

    /// Modality values of frame `f`: stored × slope + intercept (PS3.3 C.11.1.1.2), in float32.
    public func rescaledFrame(_ f: Int) -> [Float] {
        frame(f).map { Float(Double($0) * rescaleSlope + rescaleIntercept) }
    }
}
