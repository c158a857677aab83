import Foundation

/// The DICOM files of a folder grouped by series, and the files left out with the reason
/// (a surprise to report, not a failure: a folder may hold a README or a DICOMDIR).
public struct DICOMDirectoryScan: Sendable {
    /// A file left out of every series.
    public struct Skipped: Sendable, Equatable {
        public let url: URL
        public let reason: String
    }

    /// Files by Series Instance UID, each list sorted by path.
    public let series: [String: [URL]]
    /// Files that are not DICOM images of any series.
    public let skipped: [Skipped]
}
