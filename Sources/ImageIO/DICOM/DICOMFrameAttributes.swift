import Foundation

/// Where one frame lies and how its stored values scale: a single-frame image, or one frame of
/// an Enhanced (multi-frame) image. The series code treats every frame as a "virtual slice".
///
/// For a multi-frame image each attribute is taken from the frame's item of the Per-frame
/// Functional Groups Sequence (5200,9230), else from the Shared Functional Groups Sequence
/// (5200,9229), else from the top level of the data set (PS3.3 C.7.6.16: a functional group
/// macro sits in one of the two sequences; the top-level fallback serves legacy-converted files):
/// Plane Position (0020,9113) → Image Position (Patient); Plane Orientation (0020,9116) → Image
/// Orientation (Patient); Pixel Measures (0028,9110) → Pixel Spacing, Slice Thickness, Spacing
/// Between Slices; Frame Content (0020,9111) → Temporal Position Index, Dimension Index Values,
/// Frame Acquisition DateTime, Frame Acquisition Number, Stack ID, In-Stack Position Number;
/// Pixel Value Transformation (0028,9145) → Rescale Slope / Intercept; Cardiac Synchronization
/// (0018,9118) → Nominal Cardiac Trigger Delay Time.
public struct DICOMFrameAttributes: Equatable, Sendable {
    /// Index of the frame in the pixel data, from 0 (DICOM numbers frames from 1).
    public internal(set) var frame: Int
    /// Image Position (Patient): the centre of the first transmitted pixel, LPS mm.
    public var imagePositionPatient: [Double]?
    /// Image Orientation (Patient): row then column direction cosines (6 values).
    public var imageOrientationPatient: [Double]?
    /// Pixel Spacing: [between rows, between columns] in mm, as stored.
    public var pixelSpacing: [Double]?
    /// Slice Thickness (0018,0050), mm.
    public var sliceThickness: Double?
    /// Spacing Between Slices (0018,0088), mm (the series uses the measured gap instead).
    public var spacingBetweenSlices: Double?
    /// Temporal Position Index (0020,9128) of a multi-frame image; Temporal Position Identifier
    /// (0020,0100) of a single-frame one.
    public var temporalPosition: Int?
    /// Dimension Index Values (0020,9157) of the frame.
    public var dimensionIndexValues: [Int]?
    /// Frame Acquisition DateTime (0018,9074); for a single-frame image, Acquisition Date and
    /// Time joined, else Acquisition DateTime (0008,002A).
    public var acquisitionDateTime: String?
    /// Frame Acquisition Number (0020,9156).
    public var frameAcquisitionNumber: Int?
    /// Stack ID (0020,9056).
    public var stackID: String?
    /// In-Stack Position Number (0020,9057).
    public var inStackPosition: Int?
    /// Trigger Time (0018,1060), or Nominal Cardiac Trigger Delay Time of the frame (ms).
    public var triggerTime: Double?
    /// Instance Number of the file (shared by all its frames).
    public var instanceNumber: Int?
    /// Modality LUT: value = stored × slope + intercept (PS3.3 C.11.1.1.2); 1 and 0 when absent.
    public var rescaleSlope: Double = 1
    /// See `rescaleSlope`.
    public var rescaleIntercept: Double = 0

    /// Frames allowed when a multi-frame header has no Per-frame Functional Groups to count
    /// them against and no pixel data to bound them.
    public static let maximumFramesWithoutData = 1

    /// The frames of a file read with `DICOMReader.readHeader` or `readFile`: one entry for a
    /// single-frame image, Number of Frames entries for a multi-frame one. A frame count that
    /// disagrees with the Per-frame Functional Groups or exceeds what the pixel data can hold is
    /// refused before anything is allocated for it.
    public static func frames(of file: DICOMFile) throws -> [DICOMFrameAttributes] {
        let ds = file.dataSet
        let path = file.path
        let perFrame = ds.sequence(.perFrameFunctionalGroupsSequence)
        let shared = ds.sequence(.sharedFunctionalGroupsSequence)?.first
        let declared = try ds.integer(.numberOfFrames)
        let top = try topLevel(ds)
        if declared == nil && perFrame == nil && shared == nil {
            if file.hasPixelData { try checkAgainstPixelData(1, file: file) }
            return [top]
        }

        let count = declared ?? perFrame?.count ?? 1
        func refuse(_ why: String) -> ImageIOError {
            .invalidHeader(file: path, field: DICOMTag.numberOfFrames.description, reason: why)
        }
        guard count >= 1 else { throw refuse("\(count) frames; it must be at least 1") }
        if let perFrame, perFrame.count != count {
            throw refuse("\(count) frames but the Per-frame Functional Groups Sequence (5200,9230) has \(perFrame.count) items")
        }
        if perFrame == nil || file.hasPixelData {
            // Bound the frames by the pixel data before allocating anything per frame.
            try checkAgainstPixelData(count, file: file)
        }

        var frames: [DICOMFrameAttributes] = []
        frames.reserveCapacity(count)
        for f in 0..<count {
            let item = perFrame?[f]
            /// The first item of `sequence` in the frame's groups, else in the shared groups.
            func group(_ sequence: DICOMTag) -> DICOMDataSet? {
                item?.sequence(sequence)?.first ?? shared?.sequence(sequence)?.first
            }
            var a = top
            a.frame = f
            if let g = group(.planePositionSequence), let v = try g.decimals(.imagePositionPatient) { a.imagePositionPatient = v }
            if let g = group(.planeOrientationSequence), let v = try g.decimals(.imageOrientationPatient) { a.imageOrientationPatient = v }
            if let g = group(.pixelMeasuresSequence) {
                if let v = try g.decimals(.pixelSpacing) { a.pixelSpacing = v }
                if let v = try g.decimal(.sliceThickness) { a.sliceThickness = v }
                if let v = try g.decimal(.spacingBetweenSlices) { a.spacingBetweenSlices = v }
            }
            if let g = group(.frameContentSequence) {
                if let v = try g.integer(.temporalPositionIndex) { a.temporalPosition = v }
                if let v = try g.integers(.dimensionIndexValues) { a.dimensionIndexValues = v }
                if let v = g.string(.frameAcquisitionDateTime), !v.isEmpty { a.acquisitionDateTime = v }
                if let v = try g.integer(.frameAcquisitionNumber) { a.frameAcquisitionNumber = v }
                if let v = g.string(.stackID), !v.isEmpty { a.stackID = v }
                if let v = try g.integer(.inStackPositionNumber) { a.inStackPosition = v }
            }
            if let g = group(.cardiacSynchronizationSequence), let v = try g.decimal(.nominalCardiacTriggerDelayTime) {
                a.triggerTime = v
            }
            if let g = group(.pixelValueTransformationSequence) {
                if let v = try g.decimal(.rescaleSlope) { a.rescaleSlope = v }
                if let v = try g.decimal(.rescaleIntercept) { a.rescaleIntercept = v }
            }
            guard a.rescaleSlope.isFinite, a.rescaleIntercept.isFinite else {
                throw ImageIOError.invalidHeader(file: path, field: DICOMTag.rescaleSlope.description,
                                                 reason: "frame \(f + 1) has a non-finite rescale \(a.rescaleSlope), \(a.rescaleIntercept)")
            }
            frames.append(a)
        }
        return frames
    }

    /// A frame count must fit the pixel data: native data must hold Rows × Columns × Bits
    /// Allocated / 8 bytes per frame and not a whole frame more (odd padding and stray trailing
    /// bytes are tolerated, as pydicom does); encapsulated data needs at least one 8-byte item
    /// per frame.
    static func checkAgainstPixelData(_ count: Int, file: DICOMFile) throws {
        let ds = file.dataSet
        guard let bytes = file.pixelDataBytes else {
            guard count <= maximumFramesWithoutData else {
                throw ImageIOError.invalidHeader(file: file.path, field: DICOMTag.numberOfFrames.description,
                                                 reason: "\(count) frames but the file has no pixel data")
            }
            return
        }
        guard bytes > 0 else {
            throw ImageIOError.truncated(file: file.path, reason: "the Pixel Data element (7FE0,0010) is empty")
        }
        // Missing or odd attributes count as their smallest values here (the pixel decoder names
        // them); the bound stays a true lower bound on the bytes the frames need.
        let knownRows = try ds.integer(.rows), knownColumns = try ds.integer(.columns), knownBits = try ds.integer(.bitsAllocated)
        let rows = max(knownRows ?? 1, 1), columns = max(knownColumns ?? 1, 1), bits = max(knownBits ?? 8, 1)
        let (area, o1) = rows.multipliedReportingOverflow(by: columns)
        let (areaBits, o2) = area.multipliedReportingOverflow(by: bits)
        guard !o1, !o2 else {
            throw ImageIOError.tooLarge(file: file.path, reason: "\(rows) × \(columns) pixels of \(bits) bits per frame")
        }
        let perFrame = file.transferSyntax.isEncapsulated ? 8 : max(areaBits / 8, 1)
        let (needed, overflow) = count.multipliedReportingOverflow(by: perFrame)
        guard !overflow, needed <= bytes else {
            let what = file.transferSyntax.isEncapsulated
                ? "at least one 8-byte fragment per frame"
                : "\(rows) × \(columns) × \(bits) / 8 = \(perFrame) bytes per frame"
            throw ImageIOError.invalidHeader(
                file: file.path, field: DICOMTag.numberOfFrames.description,
                reason: "\(count) frames need \(what) but the pixel data holds \(bytes) bytes (a frame count that disagrees with the data)")
        }
        if !file.transferSyntax.isEncapsulated, knownRows != nil, knownColumns != nil, knownBits != nil,
           bytes - needed >= max(perFrame, 2) {
            throw ImageIOError.invalidHeader(
                file: file.path, field: DICOMTag.numberOfFrames.description,
                reason: "\(count) frame(s) of \(perFrame) bytes but the pixel data holds \(bytes) bytes, \(bytes / perFrame) whole frames (a frame count that disagrees with the data)")
        }
    }

    /// The attributes at the top level of the data set (a single-frame image's only source).
    static func topLevel(_ ds: DICOMDataSet) throws -> DICOMFrameAttributes {
        var a = DICOMFrameAttributes(frame: 0)
        a.imagePositionPatient = try ds.decimals(.imagePositionPatient)
        a.imageOrientationPatient = try ds.decimals(.imageOrientationPatient)
        a.pixelSpacing = try ds.decimals(.pixelSpacing)
        a.sliceThickness = try ds.decimal(.sliceThickness)
        a.spacingBetweenSlices = try ds.decimal(.spacingBetweenSlices)
        a.temporalPosition = try ds.integer(.temporalPositionIdentifier)
        if let date = ds.string(.acquisitionDate), let time = ds.string(.acquisitionTime), !time.isEmpty {
            a.acquisitionDateTime = date + time
        } else if let time = ds.string(.acquisitionTime), !time.isEmpty {
            a.acquisitionDateTime = time
        } else if let dt = ds.string(.acquisitionDateTime), !dt.isEmpty {
            a.acquisitionDateTime = dt
        }
        a.triggerTime = try ds.decimal(.triggerTime)
        a.instanceNumber = try ds.integer(.instanceNumber)
        if let v = try ds.decimal(.rescaleSlope) { a.rescaleSlope = v }
        if let v = try ds.decimal(.rescaleIntercept) { a.rescaleIntercept = v }
        return a
    }

    init(frame: Int) { self.frame = frame }
}
