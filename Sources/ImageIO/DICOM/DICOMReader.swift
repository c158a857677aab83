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

    /// `readHeader` that reads only the first `prefix` bytes when the header lies within them
    /// (the usual case: the pixel data comes last), so listing a folder of large images does not
    /// read their pixels. The result equals `readHeader`'s; anything unusual (a gzip-compressed
    /// or deflated file, a header longer than the prefix, any error) takes the whole file.
    static func readHeader(_ url: URL, prefix: Int) throws -> DICOMFile {
        let path = url.path
        guard let handle = FileHandle(forReadingAtPath: path) else { return try readHeader(url) }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd(), Int(size) > prefix, (try? handle.seek(toOffset: 0)) != nil,
              let head = try? handle.read(upToCount: prefix), head.count == prefix else {
            return try readHeader(url)
        }
        let bytes = [UInt8](head)
        if bytes[0] == 0x1F && bytes[1] == 0x8B { return try readHeader(url) }
        guard let parsed = try? DICOMParser.parse(bytes, file: path, headerOnly: true, totalBytes: Int(size)),
              parsed.transferSyntax.uid != DICOMTransferSyntax.deflatedExplicitVRLittleEndian else {
            return try readHeader(url)
        }
        return DICOMFile(path: path, meta: parsed.meta, dataSet: parsed.dataSet, transferSyntax: parsed.transferSyntax,
                         hasPixelData: parsed.hasPixelData, pixels: nil, pixelDataBytes: parsed.pixelDataBytes,
                         pixelDataOffset: parsed.pixelDataOffset)
    }

    /// Parses a file image held in memory (`path` names it in errors).
    static func read(_ bytes: [UInt8], path: String, headerOnly: Bool) throws -> DICOMFile {
        let parsed = try DICOMParser.parse(bytes, file: path, headerOnly: headerOnly)
        let pixels = headerOnly ? nil
            : try DICOMPixelDecoder.decode(parsed.dataSet, transferSyntax: parsed.transferSyntax, file: path)
        return DICOMFile(path: path, meta: parsed.meta, dataSet: parsed.dataSet,
                         transferSyntax: parsed.transferSyntax, hasPixelData: parsed.hasPixelData, pixels: pixels,
                         pixelDataBytes: parsed.pixelDataBytes, pixelDataOffset: parsed.pixelDataOffset)
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

    /// The bytes of a file (inflated when gzip-compressed), refusing sizes beyond the payload
    /// limit before reading.
    static func load(_ url: URL) throws -> [UInt8] {
        let path = url.path
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
            throw ImageIOError.io(file: path, reason: "cannot open for reading (no such file?)")
        }
        if let size = attributes[.size] as? Int, size > ImageIOLimits.maximumPayloadBytes {
            throw ImageIOError.tooLarge(file: path, reason: "\(size) bytes exceeds \(ImageIOLimits.maximumPayloadBytes)")
        }
        guard let bytes = readWholeFile(path) else {
            throw ImageIOError.io(file: path, reason: "cannot read the file")
        }
        // A gzip-compressed file (`.dcm.gz`, told by the bytes 1F 8B, never by the name) is read
        // as its content. No Part 10 file starts so: its preamble is zeros or another format's
        // header, and a bare data set starts with a group (0008 or 0002), not 8B1F.
        if bytes.count >= 2, bytes[0] == 0x1F, bytes[1] == 0x8B {
            return [UInt8](try Zlib.inflate(Data(bytes), framing: .gzipOrZlib, limit: ImageIOLimits.maximumPayloadBytes, file: path))
        }
        return bytes
    }

    /// The bytes of a file read straight into an array (no intermediate `Data` copy), or nil.
    private static func readWholeFile(_ path: String) -> [UInt8]? {
        let fd = Glibc.open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { Glibc.close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size >= 0, Int(info.st_size) <= ImageIOLimits.maximumPayloadBytes else { return nil }
        let size = Int(info.st_size)
        var failed = false
        var bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            var done = 0
            while done < size {
                let n = Glibc.read(fd, buffer.baseAddress! + done, size - done)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                done += n
            }
            count = done
            failed = done != size
        }
        if failed { // the file changed size while being read: take what is there now
            guard let data = FileManager.default.contents(atPath: path) else { return nil }
            bytes = [UInt8](data)
        }
        return bytes
    }
}
