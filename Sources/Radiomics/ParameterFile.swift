import Foundation

/// A pyradiomics parameter file (YAML: `setting:`, `featureClass:`, `imageType:`), read into
/// `RadiomicsSettings`, so a user's existing file works here.
///
/// - Keys this extractor implements are read with pyradiomics' types and ranges
///   (its `paramSchema.yaml`): a wrong type or range is an error naming the file and the key.
/// - pyradiomics keys that would change the result but are not implemented here (`force2D: true`,
///   `resegmentRange`, `weightingNorm`, filters, image types other than `Original`, …) are errors.
/// - pyradiomics keys without effect on the values (`additionalInfo`, `preCrop`, …) are accepted.
/// - Any other key is reported in `warnings` and otherwise ignored.
/// One extension: `setting: {discretisation: ibsi}` selects IBSI's bin definitions.
public struct ParameterFile: Sendable {
    public let settings: RadiomicsSettings
    /// Unknown keys and other notes, one sentence each.
    public let warnings: [String]

    /// Reads and checks the file at `path`.
    public static func read(path: String) throws -> ParameterFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw RadiomicsError.parameterFile(path: path, message: "cannot be read (\(error.localizedDescription))")
        }
        return try parse(text, path: path)
    }

    /// Parses parameter-file text; `path` names it in messages.
    public static func parse(_ text: String, path: String = "<parameters>") throws -> ParameterFile {
        let root: YAMLNode
        do {
            root = try YAMLSubset.parse(text)
        } catch let e as YAMLSubsetError {
            throw RadiomicsError.parameterFile(path: path, message: "line \(e.line): \(e.message)")
        }
        var reader = Reader(path: path)
        try reader.read(root)
        return ParameterFile(settings: reader.settings, warnings: reader.warnings)
    }

    private struct Reader {
        let path: String
        var settings = RadiomicsSettings()
        var warnings: [String] = []

        func fail(_ message: String) -> RadiomicsError { .parameterFile(path: path, message: message) }

        mutating func read(_ root: YAMLNode) throws {
            guard case let .mapping(top) = root else {
                if root == .null { return }
                throw fail("the top level must be a mapping with `setting`, `featureClass` and `imageType`")
            }
            for (key, value) in top {
                switch key {
                case "setting": try readSettings(value)
                case "featureClass": try readFeatureClasses(value)
                case "imageType": try readImageTypes(value)
                case "voxelSetting":
                    warnings.append("\(path): `voxelSetting` ignored (voxel-based extraction is not implemented)")
                default:
                    warnings.append("\(path): unknown top-level key `\(key)` ignored")
                }
            }
        }

        mutating func readSettings(_ node: YAMLNode) throws {
            if node == .null { return }
            guard case let .mapping(entries) = node else { throw fail("`setting` must be a mapping") }
            for (key, value) in entries {
                let name = "setting.\(key)"
                switch key {
                case "binWidth": settings.binWidth = try positive(try number(value, name), name)
                case "binCount": settings.binCount = try optionalInt(value, name).map { try positive($0, name) }
                case "resampledPixelSpacing":
                    if value == .null { settings.resampledPixelSpacing = nil; break }
                    guard case let .sequence(items) = value else { throw fail("\(name) must be a list of three spacings, got \(show(value))") }
                    let spacings = try items.map { try number($0, name) }
                    guard spacings.count == 3, spacings.allSatisfy({ $0 >= 0 }) else {
                        throw fail("\(name) must be three spacings ≥ 0 (mm), got \(spacings)")
                    }
                    settings.resampledPixelSpacing = spacings
                case "interpolator": settings.interpolator = try interpolator(value, name)
                case "padDistance": settings.padDistance = try nonNegative(try int(value, name), name)
                case "normalize": settings.normalize = try bool(value, name)
                case "normalizeScale": settings.normalizeScale = try positive(try number(value, name), name)
                case "removeOutliers": settings.removeOutliers = try optionalNumber(value, name).map { try positive($0, name) }
                case "label": settings.label = try positive(try int(value, name), name)
                case "minimumROIDimensions":
                    let d = try int(value, name)
                    guard (1...3).contains(d) else { throw fail("\(name) must be 1, 2 or 3, got \(d)") }
                    settings.minimumROIDimensions = d
                case "minimumROISize": settings.minimumROISize = try optionalInt(value, name).map { try positive($0, name) }
                case "voxelArrayShift": settings.voxelArrayShift = try number(value, name)
                case "gldm_a": settings.gldmAlpha = try nonNegative(try int(value, name), name)
                case "symmetricalGLCM": settings.symmetricalGLCM = try bool(value, name)
                case "discretisation":
                    guard case let .scalar(text, _) = value, let d = DiscretisationDefinition(rawValue: text) else {
                        throw fail("\(name) must be `pyradiomics` or `ibsi`, got \(show(value))")
                    }
                    settings.discretisation = d
                case "distances":
                    guard case let .sequence(items) = value else { throw fail("\(name) must be a list of integers, got \(show(value))") }
                    let d = try items.map { try int($0, name) }
                    guard d == [1] else { throw fail("\(name) \(d) is not supported: only distance [1] (pyradiomics' default) is implemented") }
                case "force2D":
                    if try bool(value, name) { throw fail("\(name): true is not supported (2-D extraction is not implemented)") }
                case "force2Ddimension": _ = try int(value, name)
                case "label_channel":
                    if try int(value, name) != 0 { throw fail("\(name) other than 0 is not supported") }
                case "correctMask":
                    if try bool(value, name) { throw fail("\(name): true is not supported; put the mask on the image grid first") }
                case "additionalInfo", "preCrop", "enableCExtensions": _ = try bool(value, name)
                case "geometryTolerance": _ = try positive(try number(value, name), name)
                case "resegmentRange", "resegmentMode", "resegmentShape", "weightingNorm", "kernelRadius", "maskedKernel",
                     "initValue", "voxelBatch", "sigma", "start_level", "level", "wavelet", "gradientUseSpacing",
                     "lbp2DRadius", "lbp2DSamples", "lbp2DMethod", "lbp3DLevels", "lbp3DIcosphereRadius",
                     "lbp3DIcosphereSubdivision":
                    if value != .null { throw fail("\(name) is a pyradiomics setting this extractor does not implement") }
                default:
                    warnings.append("\(path): unknown setting `\(key)` ignored")
                }
            }
        }

        mutating func readFeatureClasses(_ node: YAMLNode) throws {
            if node == .null { return }
            guard case let .mapping(entries) = node else { throw fail("`featureClass` must be a mapping of class names") }
            var selections: [FeatureClassSelection] = []
            for (key, value) in entries {
                guard let c = FeatureClass(rawValue: key) else {
                    throw fail("feature class `\(key)` is not implemented (known: \(FeatureClass.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                switch value {
                case .null: selections.append(FeatureClassSelection(featureClass: c))
                case let .sequence(items):
                    let names = try items.map { item -> String in
                        guard case let .scalar(s, _) = item else { throw fail("featureClass.\(key) must list feature names") }
                        return s
                    }
                    let selection = FeatureClassSelection(featureClass: c, features: names.isEmpty ? nil : names)
                    do { _ = try FeatureCatalogue.resolve(selection) } catch let e as RadiomicsError { throw fail("featureClass.\(key): \(e)") }
                    selections.append(selection)
                default: throw fail("featureClass.\(key) must be empty or a list of feature names, got \(show(value))")
                }
            }
            if !selections.isEmpty { settings.featureClasses = selections }
        }

        mutating func readImageTypes(_ node: YAMLNode) throws {
            if node == .null { return }
            guard case let .mapping(entries) = node else { throw fail("`imageType` must be a mapping") }
            for (key, value) in entries {
                guard key == "Original" else { throw fail("image type `\(key)` is not implemented (only Original)") }
                if case let .mapping(custom) = value, !custom.isEmpty {
                    throw fail("custom settings under imageType.Original are not supported; put them under `setting`")
                }
            }
        }

        // MARK: typed scalars (pyradiomics' schema types)

        func number(_ v: YAMLNode, _ name: String) throws -> Double {
            guard case let .scalar(s, quoted) = v, !quoted, let d = Double(s), d.isFinite else {
                throw fail("\(name) must be a number, got \(show(v))")
            }
            return d
        }

        func optionalNumber(_ v: YAMLNode, _ name: String) throws -> Double? { v == .null ? nil : try number(v, name) }

        func int(_ v: YAMLNode, _ name: String) throws -> Int {
            guard case let .scalar(s, quoted) = v, !quoted, let i = Int(s) else {
                throw fail("\(name) must be an integer, got \(show(v))")
            }
            return i
        }

        func optionalInt(_ v: YAMLNode, _ name: String) throws -> Int? { v == .null ? nil : try int(v, name) }

        func bool(_ v: YAMLNode, _ name: String) throws -> Bool {
            if case let .scalar(s, false) = v {
                switch s {
                case "true", "True", "TRUE", "yes", "Yes", "on", "On": return true
                case "false", "False", "FALSE", "no", "No", "off", "Off": return false
                default: break
                }
            }
            throw fail("\(name) must be true or false, got \(show(v))")
        }

        func positive<T: Comparable & Numeric>(_ x: T, _ name: String) throws -> T {
            guard x > 0 else { throw fail("\(name) must be > 0, got \(x)") }
            return x
        }

        func nonNegative(_ x: Int, _ name: String) throws -> Int {
            guard x >= 0 else { throw fail("\(name) must be ≥ 0, got \(x)") }
            return x
        }

        func interpolator(_ v: YAMLNode, _ name: String) throws -> Interpolator {
            if case let .scalar(s, _) = v {
                if let i = Interpolator(rawValue: s) { return i }
                switch s {   // SimpleITK's enumeration values
                case "1": return .nearestNeighbor
                case "2": return .linear
                case "3": return .bSpline
                default: break
                }
            }
            throw fail("\(name) \(show(v)) is not supported (use \(Interpolator.allCases.map(\.rawValue).joined(separator: ", ")))")
        }

        func show(_ v: YAMLNode) -> String {
            switch v {
            case let .scalar(s, quoted): return quoted ? "\"\(s)\"" : "`\(s)`"
            case .null: return "nothing"
            case .sequence: return "a list"
            case .mapping: return "a mapping"
            }
        }
    }
}
