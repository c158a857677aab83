import ArgumentParser
import Foundation
import ImageIO

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show what the tool sees in a DICOM or NIfTI file, or in every file of a folder.",
        discussion: """
        For a file: a one-line summary, or with --json one object with the keys pydicom / nibabel \
        users know. For a folder: the study tree (which series is T1, T2 and DCE, the DCE phases \
        in time order, and why each series was chosen or left out); with --json, one object per \
        file, one per line, each with a "file" key. A file that cannot be read gives \
        {"file", "error"} and the exit code is 1.
        """
    )

    @Argument(help: "A DICOM file, a NIfTI file (.nii / .nii.gz) or a folder of them.")
    var path: String

    @Flag(help: "Machine-readable output (keys as pydicom / nibabel name the same facts).")
    var json = false

    func run() throws {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return try runReportingErrors { throw CommandLineError.missingInput(path) }
        }
        if isDirectory.boolValue && !json {
            let (text, failed) = Inspection.describeStudy(url)
            print(text)
            if failed { throw ExitCodes.failure }
            return
        }
        let files = isDirectory.boolValue ? Inspection.regularFiles(under: url) : [url]
        var anyFailed = false
        for file in files {
            let result = Inspection.inspect(file)
            anyFailed = anyFailed || result.failed
            print(json ? result.json(includeFile: isDirectory.boolValue) : result.text)
        }
        if anyFailed { throw ExitCodes.failure }
    }
}
