import Foundation

/// The files of a folder as `DICOMConversion` sees them: DICOM image headers grouped by series,
/// files that are not DICOM images (left out, a surprise to report), and files that look like
/// DICOM but cannot be read (a fault: a truncated copy, a damaged export).
struct ConversionScan {
    /// One readable DICOM image file, its header read once and kept for the series assembly.
    struct File {
        let url: URL
        let header: DICOMFile
    }

    /// Bytes read to find a file's header (the whole file when the header is longer).
    static let headerPrefix = 64 << 10

    /// Files by Series Instance UID, each list sorted by path.
    var series: [String: [File]] = [:]
    /// Files left out: not DICOM, or DICOM without an image (a report, a presentation state).
    var ignored: [DICOMConversion.FileNote] = []
    /// Files that claim to be DICOM (the "DICM" marker, or gzip) but could not be read.
    var unreadable: [DICOMConversion.FileNote] = []
    /// How many regular files were looked at.
    var filesSeen = 0

    /// Reads the header of every regular file under `directory` (recursively; hidden files and
    /// folders skipped; `.dcm.gz` inflated by `DICOMReader`).
    init(directory: URL) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) else {
            throw ImageIOError.io(file: directory.path, reason: "no such folder")
        }
        guard isDirectory.boolValue else { throw ImageIOError.io(file: directory.path, reason: "not a folder") }
        let keys: [URLResourceKey] = [.isRegularFileKey]
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: keys,
                                                          options: [.skipsHiddenFiles]) else {
            throw ImageIOError.io(file: directory.path, reason: "cannot list the folder")
        }
        var urls: [URL] = []
        for case let url as URL in walker where (try? url.resourceValues(forKeys: Set(keys)).isRegularFile) == true {
            urls.append(url)
        }
        urls.sort { $0.path < $1.path }
        filesSeen = urls.count
        for url in urls {
            do {
                let header = try DICOMReader.readHeader(url, prefix: Self.headerPrefix)
                guard header.hasPixelData else {
                    ignored.append(.init(url: url, reason: "DICOM without pixel data (not an image)"))
                    continue
                }
                guard let uid = header.dataSet.string(.seriesInstanceUID), !uid.isEmpty else {
                    ignored.append(.init(url: url, reason: "no Series Instance UID (0020,000E)"))
                    continue
                }
                series[uid, default: []].append(File(url: url, header: header))
            } catch {
                if Self.claimsDICOM(url) {
                    unreadable.append(.init(url: url, reason: String(describing: error)))
                } else {
                    ignored.append(.init(url: url, reason: "not DICOM"))
                }
            }
        }
    }

    /// True when the file carries the Part 10 marker "DICM" at byte 128, also inside a gzip
    /// stream (a `.dcm.gz` whose stream is cut short claims it by its name): a file that says it
    /// is DICOM and fails to read is a fault, not noise.
    static func claimsDICOM(_ url: URL) -> Bool {
        guard let data = try? Data(contentsOf: url, options: .mappedIfSafe) else { return false }
        var bytes = [UInt8](data.prefix(132))
        if bytes.count >= 2, bytes[0] == 0x1F, bytes[1] == 0x8B {
            guard let inflated = try? Zlib.inflate(data, framing: .gzipOrZlib, limit: ImageIOLimits.maximumPayloadBytes, file: url.path) else {
                return url.lastPathComponent.lowercased().contains(".dcm")
            }
            bytes = [UInt8](inflated.prefix(132))
        }
        return bytes.count == 132 && Array(bytes[128..<132]) == Array("DICM".utf8)
    }
}
