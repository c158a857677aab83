import Foundation
import Volumes

/// Reads DICOM Part 10 files and assembles series into volumes.
///
/// Uncompressed transfer syntaxes (implicit / explicit VR little endian, explicit VR big endian,
/// deflated explicit VR little endian) are decoded here; encapsulated ones go through
/// `decodeCompressedFrame`. World coordinates are LPS, as DICOM's patient coordinates.
public enum DICOMReader {
    /// Reads one file: meta group, data set and decoded pixel frames.
    public static func readFile(_ url: URL) throws -> DICOMFile {
        try read(try load(url), path: url.path, headerOnly: false)
    }

    /// Reads one file without decoding (or even parsing) its pixel data.
    public static func readHeader(_ url: URL) throws -> DICOMFile {
        try read(try load(url), path: url.path, headerOnly: true)
    }

    /// Parses a file image held in memory (`path` names it in errors).
    static func read(_ bytes: [UInt8], path: String, headerOnly: Bool) throws -> DICOMFile {
        let parsed = try DICOMParser.parse(bytes, file: path, headerOnly: headerOnly)
        let pixels = headerOnly ? nil
            : try DICOMPixelDecoder.decode(parsed.dataSet, transferSyntax: parsed.transferSyntax, file: path)
        return DICOMFile(path: path, meta: parsed.meta, dataSet: parsed.dataSet,
                         transferSyntax: parsed.transferSyntax, hasPixelData: parsed.hasPixelData, pixels: pixels,
                         pixelDataBytes: parsed.pixelDataBytes)
    }

    /// Reads the files of one series (one Series Instance UID) into a volume: float32 after
    /// rescale, LPS geometry, slices sorted along the slice normal. Several slices per position
    /// told apart by Temporal Position Identifier become phases. Mixed orientations, sizes or
    /// spacings, uneven slice gaps and missing slices are refused with the reason. A
    /// multi-frame (Enhanced MR) file contributes its frames as slices, so one Enhanced file is
    /// a series on its own.
    public static func readSeries(_ files: [URL]) throws -> Volume {
        try DICOMSeries(files: files).volume()
    }

    /// Reads one file into a volume: an Enhanced (multi-frame) image's frames become slices
    /// (and phases, when frames share a position at several temporal positions), placed by the
    /// Per-frame / Shared Functional Groups with the same checks as `readSeries`. A single-frame
    /// file gives a one-slice volume.
    public static func readVolume(_ url: URL) throws -> Volume {
        try DICOMSeries(files: [url]).volume()
    }

    /// The DICOM files under `directory` (recursively, hidden files skipped) grouped by Series
    /// Instance UID; files that are not DICOM are skipped (see `scan(directory:)` for why).
    public static func groupSeries(in directory: URL) throws -> [String: [URL]] {
        try scan(directory: directory).series
    }

    /// Groups the DICOM files under `directory` by Series Instance UID and lists the files that
    /// were skipped with the reason (not DICOM, no Series Instance UID, unreadable).
    public static func scan(directory: URL) throws -> DICOMDirectoryScan {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ImageIOError.io(file: directory.path, reason: "not a folder")
        }
        let keys: [URLResourceKey] = [.isRegularFileKey]
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: keys,
                                                          options: [.skipsHiddenFiles]) else {
            throw ImageIOError.io(file: directory.path, reason: "cannot list the folder")
        }
        var files: [URL] = []
        for case let file as URL in walker where (try? file.resourceValues(forKeys: Set(keys)).isRegularFile) == true {
            files.append(file)
        }
        files.sort { $0.path < $1.path }
        var series: [String: [URL]] = [:]
        var skipped: [DICOMDirectoryScan.Skipped] = []
        for file in files {
            do {
                let header = try readHeader(file)
                guard let uid = header.dataSet.string(.seriesInstanceUID), !uid.isEmpty else {
                    skipped.append(.init(url: file, reason: "no Series Instance UID (0020,000E)"))
                    continue
                }
                series[uid, default: []].append(file)
            } catch {
                skipped.append(.init(url: file, reason: String(describing: error)))
            }
        }
        return DICOMDirectoryScan(series: series, skipped: skipped)
    }

    /// The bytes of a file, refusing sizes beyond the payload limit before reading.
    static func load(_ url: URL) throws -> [UInt8] {
        let path = url.path
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
            throw ImageIOError.io(file: path, reason: "cannot open for reading (no such file?)")
        }
        if let size = attributes[.size] as? Int, size > ImageIOLimits.maximumPayloadBytes {
            throw ImageIOError.tooLarge(file: path, reason: "\(size) bytes exceeds \(ImageIOLimits.maximumPayloadBytes)")
        }
        guard let data = try? Data(contentsOf: url) else {
            throw ImageIOError.io(file: path, reason: "cannot read the file")
        }
        return [UInt8](data)
    }
}
