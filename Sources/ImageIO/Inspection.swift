import Foundation

/// What `her2mri inspect` reports for one file: the facts a reader took from it, or why it could not.
///
/// The JSON keys are a contract (other tools compare them with pydicom / nibabel output):
/// see `DICOMSummary` and `NIfTISummary` for the exact names.
public struct Inspection: Sendable {
    public enum Outcome: Sendable {
        case dicom(DICOMSummary)
        case nifti(NIfTISummary)
        case failure(String)
    }

    /// The path as given.
    public let file: String
    public let outcome: Outcome

    /// True when the file could not be read.
    public var failed: Bool {
        if case .failure = outcome { return true }
        return false
    }

    /// Reads `url` with the reader its first bytes call for. Never throws: a file that cannot be
    /// read gives an outcome of `.failure` with the reason.
    public static func inspect(_ url: URL) -> Inspection {
        let path = url.path
        do {
            switch try FileKind.sniff(url) {
            case .nifti: return Inspection(file: path, outcome: .nifti(try NIfTISummary(contentsOf: url)))
            case .dicom: return Inspection(file: path, outcome: .dicom(try DICOMSummary(contentsOf: url)))
            }
        } catch {
            return Inspection(file: path, outcome: .failure(String(describing: error)))
        }
    }

    /// One line for a person: what the file is, or why it cannot be read.
    public var text: String {
        switch outcome {
        case .dicom(let s):
            let shape = s.storedPixels.map { $0.shape.map(String.init).joined(separator: "×") } ?? "no pixels"
            return "\(file): DICOM \(s.transferSyntax), \(shape), \"\(s.seriesDescription ?? "")\""
        case .nifti(let s):
            return "\(file): \(s.format) \(s.datatype) \(s.shape.map(String.init).joined(separator: "×")), voxels "
                + s.zooms.prefix(3).map { String(format: "%.4g", $0) }.joined(separator: "×") + " mm"
        case .failure(let reason):
            return "error: \(reason)"
        }
    }

    /// The study tree of a folder of DICOM files (classification and reasons), and a line for
    /// each NIfTI file in it. `failed` is true when the folder could not be classified.
    public static func describeStudy(_ directory: URL, classifier: SeriesClassifier = SeriesClassifier()) -> (text: String, failed: Bool) {
        var lines: [String] = []
        var failed = false
        let scan = try? DICOMReader.scan(directory: directory)
        if let scan, !scan.series.isEmpty {
            do { lines.append(try classifier.classify(scan, location: directory.path).text) } catch {
                lines.append("error: \(error)")
                failed = true
            }
        }
        for skipped in scan?.skipped ?? [] where (try? FileKind.sniff(skipped.url)) == .nifti {
            let result = inspect(skipped.url)
            failed = failed || result.failed
            lines.append(result.text)
        }
        if lines.isEmpty { lines.append("\(directory.path): no DICOM or NIfTI files"); failed = true }
        return (lines.joined(separator: "\n"), failed)
    }

    /// Regular files below `url`, sorted by path, hidden files skipped: what `inspect DIR` reads.
    public static func regularFiles(under url: URL) -> [URL] {
        let keys: [URLResourceKey] = [.isRegularFileKey]
        guard let walker = FileManager.default.enumerator(
            at: url, includingPropertiesForKeys: keys, options: [.skipsHiddenFiles]) else { return [] }
        var out: [URL] = []
        for case let file as URL in walker {
            if (try? file.resourceValues(forKeys: Set(keys)).isRegularFile) == true { out.append(file) }
        }
        return out.sorted { $0.path < $1.path }
    }

    /// One JSON object: the summary's keys in the contract's order, or `{"file", "error"}` for a
    /// failure. `includeFile` adds the path as `file` (used when a directory is listed).
    public func json(includeFile: Bool = false) -> String {
        let body: String
        switch outcome {
        case .dicom(let s): body = s.orderedJSON()
        case .nifti(let s): body = s.orderedJSON
        case .failure(let reason): return "{\"file\":\(Inspection.quoted(file)),\"error\":\(Inspection.quoted(reason))}"
        }
        return includeFile ? "{\"file\":\(Inspection.quoted(file))," + body.dropFirst() : body
    }

    /// A string as a JSON string literal.
    static func quoted(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return (try? encoder.encode(text)).flatMap { String(data: $0, encoding: .utf8) } ?? "\"\""
    }
}

/// Which reader a file needs, decided from its first bytes (never from its name alone).
enum FileKind {
    case dicom
    case nifti

    static func sniff(_ url: URL) throws -> FileKind {
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw ImageIOError.io(file: url.path, reason: "cannot open for reading")
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 132)) ?? Data()
        if head.count >= 2, head[head.startIndex] == 0x1f, head[head.startIndex + 1] == 0x8b {
            return .nifti // gzip: only NIfTI is gzipped whole in this tool's inputs
        }
        if head.count >= 4 {
            let b = [UInt8](head.prefix(4))
            let le = UInt32(b[0]) | UInt32(b[1]) << 8 | UInt32(b[2]) << 16 | UInt32(b[3]) << 24
            let be = UInt32(b[3]) | UInt32(b[2]) << 8 | UInt32(b[1]) << 16 | UInt32(b[0]) << 24
            if le == 348 || be == 348 || le == 540 || be == 540 { return .nifti }
        }
        return .dicom // DICOM with or without preamble; the DICOM reader says when it is not.
    }
}
