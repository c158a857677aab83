import ArgumentParser
import Foundation
import Support
import ImageIO

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert every DICOM series of a folder to NIfTI with a BIDS JSON sidecar, as dcm2niix does.",
        discussion: """
        Files are found recursively (with or without .dcm; .dcm.gz read directly) and grouped by \
        series. One NIfTI file per stack, named <SeriesNumber>_<SeriesDescription> with _e<n> for \
        echoes, _ph / _real / _imaginary, _i<n> for further stacks; several temporal positions \
        make a 4-D file. Stored values are kept with the DICOM rescale as scl_slope / scl_inter. \
        A series that cannot be converted (Siemens mosaic, colour, a truncated file, ...) is \
        named with the reason and the others are still converted. Exit codes: 0 everything \
        converted; 2 some series skipped or some DICOM files unreadable (the rest written); \
        1 nothing converted or a bad input / output folder; 64 a wrong command line.
        """
    )

    @Argument(help: "A folder of DICOM files (searched recursively).")
    var dicomDirectory: String

    @Option(help: "Output folder (created; must be absent or empty unless --force).")
    var out: String

    @Flag(help: "Write .nii.gz instead of .nii.")
    var gz = false

    @Flag(help: "Write into an existing non-empty output folder (files of the same name are replaced).")
    var force = false

    func run() throws {
        AllocatorPolicy.keepFreedBuffers()
        let report = try runReportingErrors {
            try DICOMConversion.convert(URL(fileURLWithPath: dicomDirectory), to: URL(fileURLWithPath: out),
                                        options: .init(gzip: gz, overwrite: force))
        }
        print(report.text)
        if report.outputs.isEmpty { throw ExitCodes.failure }
        if !report.complete { throw ExitCodes.partial }
    }
}
