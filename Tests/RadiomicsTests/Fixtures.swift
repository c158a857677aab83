import Foundation
import ImageIO
import Radiomics
import Volumes

/// The committed fixtures (fixtures/radiomics, made by tools/radiomics/make_fixtures.py with
/// pyradiomics) and a loader that reads NIfTI the way the command line does.
enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("fixtures/radiomics")

    static func url(_ relative: String) -> URL { folder.appendingPathComponent(relative) }

    /// A NIfTI image and the sample type SimpleITK would give it.
    static func load(_ relative: String) throws -> (Volume, SampleType) {
        let nifti = try NIfTIReader.read(contentsOf: url(relative))
        let h = nifti.header
        let scaled = h.storedSclSlope != 0 && h.storedSclSlope.isFinite && (h.storedSclSlope != 1 || h.storedSclInter != 0)
        return (nifti.volume, SampleType.stored(integerRange: h.datatype.integerRange,
                                                isFloat64: h.datatype == .float64, scaled: scaled))
    }

    /// pyradiomics' values: case → parameter set → feature → value (nil for NaN).
    static func reference() throws -> [String: [String: [String: Double?]]] {
        let data = try Data(contentsOf: url("pyradiomics_reference.json"))
        let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        var out: [String: [String: [String: Double?]]] = [:]
        for (caseName, value) in object where !caseName.hasPrefix("_") {
            let byParams = value as! [String: Any]
            for (params, features) in byParams {
                var values: [String: Double?] = [:]
                for (name, v) in features as! [String: Any] { values[name] = (v as? NSNumber)?.doubleValue }
                out[caseName, default: [:]][params] = values
            }
        }
        return out
    }

    /// Runs the extractor on a fixture case with a fixture parameter file.
    static func extract(_ caseName: String, params: String) throws -> RadiomicsResult {
        let (image, type) = try load("cases/\(caseName)_image.nii.gz")
        let (mask, _) = try load("cases/\(caseName)_mask.nii.gz")
        let p = try ParameterFile.read(path: url("params/\(params).yaml").path)
        return try RadiomicsExtractor.extract(image: image, mask: mask, sampleType: type, settings: p.settings)
    }
}
