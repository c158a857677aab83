import Foundation
import Support

/// `her2mri convert`: every DICOM series of a folder as NIfTI-1 files with JSON sidecars, the way
/// dcm2niix (Li et al. 2016, J Neurosci Methods 264:47–56) writes them, through the same series
/// assembly as the clinical path (`DICOMSeries`).
///
/// - Input: every regular file below the folder (hidden ones skipped), with or without `.dcm`,
///   gzip-compressed ones read directly; grouped by Series Instance UID; each series cut into
///   stacks (`ConversionSeries`), each stack one `.nii` (or `.nii.gz`) and one `.json`
///   (`BIDSSidecar`) named `<SeriesNumber>_<SeriesDescription><suffix>` (`ConversionNaming`).
/// - A series that cannot be converted (Siemens mosaic, colour, a truncated or inconsistent file,
///   missing geometry) is skipped with its reason and the others are still converted; a file that
///   says it is DICOM but cannot be read is listed too. `ConversionReport.complete` is false then.
/// - Output: everything is written into a fresh hidden folder beside `output` and moved into place
///   at the end, so an error leaves nothing partial. An existing non-empty `output` is refused
///   unless `overwrite` is set; then the new files are moved into it (replacing files of the same
///   name, leaving the others).
public enum DICOMConversion {
    /// What the caller may choose.
    public struct Options: Sendable {
        /// Write `.nii.gz` instead of `.nii`.
        public var gzip: Bool
        /// Write into an existing, non-empty output folder.
        public var overwrite: Bool

        public init(gzip: Bool = false, overwrite: Bool = false) {
            self.gzip = gzip
            self.overwrite = overwrite
        }
    }

    /// A file left out or refused, with the reason.
    public struct FileNote: Sendable, Equatable {
        public let url: URL
        public let reason: String
    }

    /// Converts every series under `input` into `output`. Throws when nothing can be done: no
    /// such input folder, no DICOM image in it, an output folder that is in the way, a write
    /// that fails. Per-series problems are in the returned report.
    public static func convert(_ input: URL, to output: URL, options: Options = Options()) throws -> ConversionReport {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        let outputExists = fm.fileExists(atPath: output.path, isDirectory: &isDirectory)
        if outputExists {
            guard isDirectory.boolValue else {
                throw ImageIOError.io(file: output.path, reason: "the output exists and is not a folder")
            }
            let contents = (try? fm.contentsOfDirectory(atPath: output.path)) ?? []
            if !contents.isEmpty && !options.overwrite {
                throw ImageIOError.io(file: output.path, reason: "the output folder exists and is not empty (\(contents.count) entries); choose another folder or give --force to write into it")
            }
        }

        let scan = try ConversionScan(directory: input)
        guard !scan.series.isEmpty || !scan.unreadable.isEmpty else {
            let reason = scan.filesSeen == 0
                ? "the folder holds no files"
                : "none of its \(scan.filesSeen) file(s) is a DICOM image (\(scan.ignored.first.map { "\($0.url.lastPathComponent): \($0.reason)" } ?? ""))"
            throw ImageIOError.notRecognised(file: input.path, reason: reason)
        }

        let parent = output.standardizedFileURL.deletingLastPathComponent()
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw ImageIOError.io(file: parent.path, reason: "cannot create the folder: \(error.localizedDescription)")
        }
        let staging = parent.appendingPathComponent(".\(output.lastPathComponent).her2mri-convert-\(UUID().uuidString)")
        do {
            try fm.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            throw ImageIOError.io(file: staging.path, reason: "cannot create a working folder beside the output: \(error.localizedDescription)")
        }
        defer { try? fm.removeItem(at: staging) }

        var report = ConversionReport(input: input, output: output, ignoredFiles: scan.ignored, unreadableFiles: scan.unreadable)
        var naming = ConversionNaming()
        let series = scan.series.map { uid, files in
            (uid, files, ((try? files[0].header.dataSet.integer(.seriesNumber)) ?? nil) ?? Int.max)
        }.sorted { ($0.2, $0.0) < ($1.2, $1.0) }
        for (uid, files, _) in series {
            let folder = files[0].url.deletingLastPathComponent().path
            do {
                let plan = try ConversionSeries(uid: uid, files: files)
                // Convert every stack before writing any, so a series is written whole or not at all.
                let converted = try plan.stacks.map { try ConvertedStack($0, directory: folder) }
                var written: [ConversionReport.Output] = []
                for (stack, image) in zip(plan.stacks, converted) {
                    let name = naming.name(seriesNumber: plan.number, description: plan.description, suffix: stack.suffix)
                    let nii = name + (options.gzip ? ".nii.gz" : ".nii")
                    try NIfTIWriter.writeFile(image.nii, to: staging.appendingPathComponent(nii))
                    let sidecar = BIDSSidecar(stack: stack, converted: image)
                    try NIfTIWriter.writeAtomically(Data(sidecar.json.utf8), to: staging.appendingPathComponent(name + ".json"))
                    written.append(.init(name: name, niftiFile: nii, seriesInstanceUID: uid, seriesNumber: plan.number,
                                         seriesDescription: plan.description,
                                         shape: [image.size.x, image.size.y, image.size.z] + (image.phases > 1 ? [image.phases] : []),
                                         datatype: image.datatype))
                }
                report.outputs += written
            } catch let error as ImageIOError {
                if case .io = error { throw error } // a write that failed: stop, leave nothing
                report.skippedSeries.append(.init(seriesInstanceUID: uid,
                                                  seriesNumber: (try? files[0].header.dataSet.integer(.seriesNumber)) ?? nil,
                                                  seriesDescription: files[0].header.dataSet.string(.seriesDescription) ?? "",
                                                  files: files.count, reason: String(describing: error)))
            }
        }

        if !report.outputs.isEmpty {
            try publish(staging, to: output, existed: outputExists)
        }
        return report
    }

    /// Moves the staged files into place: the whole folder by one rename when `output` is new
    /// (or empty), else file by file (each a rename, replacing a file of the same name).
    static func publish(_ staging: URL, to output: URL, existed: Bool) throws {
        let fm = FileManager.default
        if existed, ((try? fm.contentsOfDirectory(atPath: output.path)) ?? []).isEmpty {
            try? fm.removeItem(at: output)
        }
        if !fm.fileExists(atPath: output.path) {
            guard rename(staging.path, output.path) == 0 else {
                throw ImageIOError.io(file: output.path, reason: "cannot move the converted files into place: \(String(cString: strerror(errno)))")
            }
            return
        }
        let names = ((try? fm.contentsOfDirectory(atPath: staging.path)) ?? []).sorted()
        for name in names {
            let target = output.appendingPathComponent(name).path
            guard rename(staging.appendingPathComponent(name).path, target) == 0 else {
                throw ImageIOError.io(file: target, reason: "cannot move the converted file into place: \(String(cString: strerror(errno)))")
            }
        }
    }
}
