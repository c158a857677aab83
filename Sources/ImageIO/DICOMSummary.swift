import Foundation

/// PLACEHOLDER — replaced by the DICOM reader work.
public struct DICOMSummary: Encodable, Sendable {
    public init(contentsOf url: URL) throws {
        throw ImageIOError.unsupported(file: url.path, reason: "DICOM reader not yet built")
    }
}
