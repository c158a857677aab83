import Foundation

/// What `DICOMConversion.convert` did: the files written, the series skipped with their reason,
/// the files left out. `complete` is false when a series was skipped or a DICOM file could not
/// be read — the command's exit code says so.
public struct ConversionReport: Sendable {
    /// One NIfTI file (and its sidecar `<name>.json`) written.
    public struct Output: Sendable {
        /// File name without extension (the sidecar is `name + ".json"`).
        public let name: String
        /// The NIfTI file's name (`.nii` or `.nii.gz`).
        public let niftiFile: String
        public let seriesInstanceUID: String
        public let seriesNumber: Int?
        public let seriesDescription: String
        /// NIfTI dim[1...]: columns, rows, slices, and temporal positions when more than one.
        public let shape: [Int]
        public let datatype: NIfTIDatatype
    }

    /// A series not converted, and why.
    public struct SkippedSeries: Sendable {
        public let seriesInstanceUID: String
        public let seriesNumber: Int?
        public let seriesDescription: String
        public let files: Int
        public let reason: String
    }

    public let input: URL
    public let output: URL
    public internal(set) var outputs: [Output] = []
    public internal(set) var skippedSeries: [SkippedSeries] = []
    /// Files that are not DICOM images (a README, a DICOMDIR, a structured report): left out.
    public let ignoredFiles: [DICOMConversion.FileNote]
    /// Files that say they are DICOM but cannot be read (truncated, damaged).
    public let unreadableFiles: [DICOMConversion.FileNote]

    init(input: URL, output: URL, ignoredFiles: [DICOMConversion.FileNote], unreadableFiles: [DICOMConversion.FileNote]) {
        self.input = input
        self.output = output
        self.ignoredFiles = ignoredFiles
        self.unreadableFiles = unreadableFiles
    }

    /// True when every series was converted and every DICOM file read.
    public var complete: Bool { skippedSeries.isEmpty && unreadableFiles.isEmpty }

    /// Lines for the terminal: one per file written, one per series skipped (naming it and the
    /// reason), one per unreadable file, and a count of the files left out.
    public var text: String {
        var lines: [String] = []
        for o in outputs {
            lines.append("converted  \(o.niftiFile)  \(o.shape.map(String.init).joined(separator: "×")) \(o.datatype)")
        }
        for s in skippedSeries {
            let label = [s.seriesNumber.map { "series \($0)" }, s.seriesDescription.isEmpty ? nil : "\"\(s.seriesDescription)\""]
                .compactMap { $0 }.joined(separator: " ")
            lines.append("skipped    \(label.isEmpty ? s.seriesInstanceUID : label) (\(s.files) file(s)): \(s.reason)")
        }
        for f in unreadableFiles {
            lines.append("unreadable \(f.reason)")
        }
        if !ignoredFiles.isEmpty {
            lines.append("left out   \(ignoredFiles.count) file(s) that are not DICOM images (e.g. \(ignoredFiles[0].url.lastPathComponent): \(ignoredFiles[0].reason))")
        }
        let summary = outputs.isEmpty
            ? "nothing converted; \(output.path) was not written"
            : "\(outputs.count) file(s) written to \(output.path)" + (complete ? "" : "; \(skippedSeries.count) series skipped, \(unreadableFiles.count) file(s) unreadable")
        lines.append(summary)
        return lines.joined(separator: "\n")
    }
}
