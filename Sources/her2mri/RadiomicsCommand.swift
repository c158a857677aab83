import ArgumentParser
import Foundation
import ImageIO
import Radiomics
import Support
import Volumes

struct RadiomicsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "radiomics",
        abstract: "Handcrafted radiomics features of an image inside a mask, with pyradiomics' names and values.",
        discussion: """
        IMAGE and MASK are NIfTI files (.nii / .nii.gz) or DICOM series folders on the same grid. \
        Features: pyradiomics' default classes (shape, firstorder, glcm, glrlm, glszm, gldm, ngtdm) \
        with its defaults (binWidth 25, no resampling, label 1), or as a pyradiomics YAML \
        parameter file says (--params). Output: one `name: value` line per feature and diagnostic, \
        or with --json one object keyed by pyradiomics' names plus "diagnostics" (settings, \
        SHA-256 of the input files, voxel counts, warnings). NaN values print as null (JSON) or nan.
        """
    )

    @Argument(help: "The image: a NIfTI file or a folder holding one DICOM series.")
    var image: String

    @Argument(help: "The mask: a NIfTI file or a DICOM series folder, on the image's grid.")
    var mask: String

    @Option(help: "A pyradiomics parameter file (YAML).")
    var params: String?

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        try runReportingErrors {
            do {
                try extract()
            } catch let error as RadiomicsError {
                throw RadiomicsInput.located(error, image: image, mask: mask)
            }
        }
    }

    func extract() throws {
        let parameters = try params.map { try ParameterFile.read(path: $0) }
        // Image and mask side by side (two cores), each file read once for its volume and its hash.
        let inputs = try ParallelMap.map([image, mask], width: 2) { try RadiomicsInput.loadAndHash($0) }
        let (imageVolume, sampleType, imageHash) = inputs[0]
        let (maskVolume, _, maskHash) = inputs[1]
        var result = try RadiomicsExtractor.extract(
            image: imageVolume, mask: maskVolume, sampleType: sampleType,
            settings: parameters?.settings ?? RadiomicsSettings(),
            warnings: parameters?.warnings ?? [])
        result.diagnostics.insert(contentsOf: [("diagnostics_Image-original_File", .string(image)),
                                               ("diagnostics_Image-original_Hash", .string("sha256:" + imageHash)),
                                               ("diagnostics_Mask-original_File", .string(mask)),
                                               ("diagnostics_Mask-original_Hash", .string("sha256:" + maskHash))], at: 0)
        print(json ? result.json() : result.text(), terminator: json ? "" : "\n")
    }
}

/// Reading a radiomics input: a NIfTI file or a one-series DICOM folder, its stored sample
/// type and the SHA-256 of its bytes (for a folder: of the sorted files' hashes). A NIfTI file
/// is read once: the same bytes are hashed and decoded.
enum RadiomicsInput {
    /// The volume, its stored sample type and its SHA-256.
    static func loadAndHash(_ path: String) throws -> (Volume, SampleType, String) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CommandLineError.missingInput(path)
        }
        if isDirectory.boolValue {
            let (volume, type) = try load(path)
            return (volume, type, try hash(path))
        }
        let url = URL(fileURLWithPath: path)
        let bytes: Data
        do { bytes = try Data(contentsOf: url) } catch {
            throw ImageIOError.io(file: path, reason: "cannot read: \(error.localizedDescription)")
        }
        let (volume, type) = try niftiVolume(try NIfTIReader.read(fileBytes: bytes, url: url))
        return (volume, type, SHA256.hex(bytes))
    }

    /// The extractor's error with the file it concerns in front.
    struct LocatedError: Error, CustomStringConvertible {
        let description: String
    }

    static func located(_ error: RadiomicsError, image: String, mask: String) -> LocatedError {
        switch error {
        case .emptyMask, .labelNotInMask, .regionTooSmall: return LocatedError(description: "\(mask): \(error)")
        case .nonFiniteIntensity: return LocatedError(description: "\(image): \(error)")
        case .gridMismatch: return LocatedError(description: "\(image) and \(mask): \(error)")
        case .invalidSetting, .parameterFile: return LocatedError(description: "\(error)")
        }
    }

    static func hash(_ path: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CommandLineError.missingInput(path)
        }
        let url = URL(fileURLWithPath: path)
        if isDirectory.boolValue {
            let files = try DICOMReader.groupSeries(in: url).values.flatMap { $0 }.sorted { $0.path < $1.path }
            let hashes = try files.map { SHA256.hex(try Data(contentsOf: $0)) }
            return SHA256.hex(Array(hashes.joined().utf8))
        }
        return SHA256.hex(try Data(contentsOf: url))
    }

    static func load(_ path: String) throws -> (Volume, SampleType) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CommandLineError.missingInput(path)
        }
        let url = URL(fileURLWithPath: path)
        if isDirectory.boolValue {
            let series = try DICOMReader.groupSeries(in: url)
            guard series.count == 1, let files = series.values.first else {
                throw ValidationError("\(path): holds \(series.count) DICOM series; give a folder with exactly one")
            }
            let volume = try DICOMReader.readSeries(files)
            return (volume, sampleType(ofDICOM: volume))
        }
        return try niftiVolume(try NIfTIReader.read(contentsOf: url))
    }

    /// A NIfTI image's volume and the sample type SimpleITK would read it as.
    static func niftiVolume(_ nifti: NIfTIImage) throws -> (Volume, SampleType) {
        let header = nifti.header
        let scaled = header.storedSclSlope != 0 && header.storedSclSlope.isFinite
            && (header.storedSclSlope != 1 || header.storedSclInter != 0)
        let type = SampleType.stored(integerRange: header.datatype.integerRange,
                                     isFloat64: header.datatype == .float64, scaled: scaled)
        return (nifti.volume, type)
    }

    /// GDCM hands SimpleITK integers when the rescale is the identity: integral samples → int16 / uint16.
    static func sampleType(ofDICOM v: Volume) -> SampleType {
        guard v.samples.allSatisfy({ $0 == $0.rounded() }), let lo = v.samples.min(), let hi = v.samples.max() else { return .float32 }
        if lo >= -32768 && hi <= 32767 { return .integer(-32768...32767) }
        if lo >= 0 && hi <= 65535 { return .integer(0...65535) }
        return .float32
    }
}
