import Foundation
import Volumes

/// Extracts pyradiomics' features of an image inside a mask: the room's one entry point.
///
/// The chain is pyradiomics' `RadiomicsFeatureExtractor.execute` for the "Original" image type:
/// check the mask (label present) → normalise (optional) → resample (optional) → check the
/// region (more than one voxel, enough dimensions) → shape on the mask cropped to the region's
/// bounding box → first-order and texture classes on the cropped image, discretised.
public enum RadiomicsExtractor {
    /// Features of `image` inside the voxels of `mask` equal to `settings.label`.
    /// - Parameters:
    ///   - sampleType: how the image was stored in its file (see `SampleType`).
    ///   - provenance: extra diagnostics from the caller (file names, hashes), kept in order.
    ///   - warnings: notes from reading the parameter file (unknown keys), passed through.
    public static func extract(image: Volume, mask: Volume, sampleType: SampleType = .float32,
                               settings: RadiomicsSettings = RadiomicsSettings(),
                               provenance: [(name: String, value: DiagnosticValue)] = [],
                               warnings: [String] = []) throws -> RadiomicsResult {
        try validate(settings)
        guard image.phases == 1 else {
            throw RadiomicsError.gridMismatch("the image has \(image.phases) volumes along its fourth axis; give one 3-D volume")
        }
        guard mask.phases == 1 else {
            throw RadiomicsError.gridMismatch("the mask has \(mask.phases) volumes along its fourth axis; give one 3-D mask")
        }
        guard image.size == mask.size else {
            throw RadiomicsError.gridMismatch("image size \(describe(image.size)), mask size \(describe(mask.size))")
        }
        let tolerance = 1e-4 * min(image.geometry.spacing.x, image.geometry.spacing.y, image.geometry.spacing.z)
        guard image.geometry.isClose(to: mask.geometry, tolerance: max(tolerance, 1e-6)) else {
            throw RadiomicsError.gridMismatch(
                "image spacing \(describe(image.geometry.spacing)) origin \(describe(image.geometry.origin)), "
                + "mask spacing \(describe(mask.geometry.spacing)) origin \(describe(mask.geometry.origin)) (or the directions differ)")
        }

        var notes = warnings
        var diagnostics = provenance
        var imageGrid = ScalarGrid(image)
        var maskGrid = ScalarGrid(mask)
        // pyradiomics casts the mask to UInt32: fractional labels truncate.
        for t in 0..<maskGrid.count { maskGrid.samples[t] = maskGrid.samples[t].rounded(.towardZero) }
        let labels = Set(maskGrid.samples.filter { $0 != 0 }.map { Int($0) }).sorted()
        guard !labels.isEmpty else { throw RadiomicsError.emptyMask }
        guard labels.contains(settings.label) else {
            throw RadiomicsError.labelNotInMask(label: settings.label, present: labels)
        }
        let label = Double(settings.label)
        let (imageMean, imageMin, imageMax) = summary(imageGrid.samples)
        diagnostics += [
            ("diagnostics_Configuration_Settings", .fields(settingsFields(settings))),
            ("diagnostics_Configuration_EnabledImageTypes", .text("Original")),
            ("diagnostics_Image-original_Dimensionality", .text("3D")),
            ("diagnostics_Image-original_Spacing", .numbers(vector(image.geometry.spacing))),
            ("diagnostics_Image-original_Size", .numbers(vector(image.size))),
            ("diagnostics_Image-original_Mean", .number(imageMean)),
            ("diagnostics_Image-original_Minimum", .number(imageMin)),
            ("diagnostics_Image-original_Maximum", .number(imageMax)),
            ("diagnostics_Mask-original_Spacing", .numbers(vector(mask.geometry.spacing))),
            ("diagnostics_Mask-original_Size", .numbers(vector(mask.size))),
            ("diagnostics_Mask-original_Labels", .numbers(labels.map(Double.init))),
        ]
        let originalBox = boundingBox(maskGrid, label: label)!
        diagnostics += [
            ("diagnostics_Mask-original_BoundingBox", .numbers(vector(originalBox.start) + vector(originalBox.size))),
            ("diagnostics_Mask-original_VoxelNum", .number(Double(originalBox.count))),
        ]

        var storedType = sampleType
        if settings.normalize {
            imageGrid = Normalisation.apply(imageGrid, scale: settings.normalizeScale, removeOutliers: settings.removeOutliers)
            storedType = .float64
        }
        if let (resampledImage, resampledMask) = try Resampling.resample(
            image: imageGrid, mask: maskGrid, box: (originalBox.start, originalBox.size),
            settings: settings, sampleType: storedType) {
            imageGrid = resampledImage
            maskGrid = resampledMask
            diagnostics += [
                ("diagnostics_Image-interpolated_Spacing", .numbers(vector(imageGrid.geometry.spacing))),
                ("diagnostics_Image-interpolated_Size", .numbers(vector(imageGrid.size))),
                ("diagnostics_Image-interpolated_Interpolator", .text(settings.interpolator.rawValue)),
            ]
        } else if settings.resampledPixelSpacing != nil {
            notes.append("resampling skipped: the image already has the requested spacing")
        }

        guard let box = boundingBox(maskGrid, label: label) else {
            throw RadiomicsError.labelNotInMask(label: settings.label, present: [])
        }
        let dims = (0..<3).filter { box.size[$0] > 1 }.count
        if dims == 0 {
            throw RadiomicsError.regionTooSmall("the mask has one voxel of label \(settings.label); features need at least two")
        }
        if dims < settings.minimumROIDimensions {
            throw RadiomicsError.regionTooSmall("the region extends over \(dims) dimension(s); minimumROIDimensions is \(settings.minimumROIDimensions)")
        }
        if let minimum = settings.minimumROISize, box.count <= minimum {
            throw RadiomicsError.regionTooSmall("the region has \(box.count) voxels; minimumROISize is \(minimum)")
        }
        let region = crop(imageGrid, maskGrid, label: label, box: box)
        let nonFinite = region.regionIntensities.filter { !$0.isFinite }.count
        if nonFinite > 0 { throw RadiomicsError.nonFiniteIntensity(count: nonFinite) }
        if maskGrid.size != image.size || settings.resampledPixelSpacing != nil {
            diagnostics.append(("diagnostics_Mask-interpolated_VoxelNum", .number(Double(box.count))))
            diagnostics.append(("diagnostics_Mask-interpolated_BoundingBox", .numbers(vector(box.start) + vector(box.size))))
        }

        var features: [(name: String, value: Double)] = []
        var discretised: DiscretisedRegion?
        func levels() throws -> DiscretisedRegion {
            if let d = discretised { return d }
            let d = try Discretisation.discretise(region, settings: settings, sampleType: storedType)
            discretised = d
            return d
        }
        // Shape first, then the other classes in the order given (as pyradiomics does).
        let ordered = settings.featureClasses.filter { $0.featureClass == .shape }
            + settings.featureClasses.filter { $0.featureClass != .shape }
        for selection in ordered {
            let values: [String: Double]
            switch selection.featureClass {
            case .shape: values = ShapeFeatures.compute(region)
            case .firstorder: values = FirstOrderFeatures.compute(region, try levels(), shift: settings.voxelArrayShift)
            case .glcm: values = GLCMFeatures.compute(region, try levels(), symmetric: settings.symmetricalGLCM)
            case .glrlm: values = GLRLMFeatures.compute(region, try levels())
            case .glszm: values = GLSZMFeatures.compute(region, try levels())
            case .gldm: values = GLDMFeatures.compute(region, try levels(), alpha: settings.gldmAlpha)
            case .ngtdm: values = NGTDMFeatures.compute(region, try levels())
            }
            let names = try FeatureCatalogue.resolve(selection)
            for name in names {
                let full = "original_\(selection.featureClass.rawValue)_\(name)"
                let value = values[name] ?? .nan
                if value.isNaN { notes.append("\(full) is NaN (undefined for this region; see the Radiomics README)") }
                features.append((full, value))
            }
        }
        if let d = discretised {
            diagnostics.append(("diagnostics_Discretisation_GreyLevels", .number(Double(d.presentLevels.count))))
            diagnostics.append(("diagnostics_Discretisation_MaxGreyLevel", .number(Double(d.maxLevel))))
        }
        return RadiomicsResult(features: features, diagnostics: diagnostics, warnings: notes)
    }

    static func validate(_ s: RadiomicsSettings) throws {
        guard s.binWidth.isFinite, s.binWidth > 0 else { throw RadiomicsError.invalidSetting("binWidth must be > 0, got \(s.binWidth)") }
        if let c = s.binCount, c < 1 { throw RadiomicsError.invalidSetting("binCount must be ≥ 1, got \(c)") }
        guard s.normalizeScale.isFinite, s.normalizeScale != 0 else {
            throw RadiomicsError.invalidSetting("normalizeScale must be a finite non-zero number, got \(s.normalizeScale)")
        }
        if let r = s.removeOutliers, !(r.isFinite && r > 0) { throw RadiomicsError.invalidSetting("removeOutliers must be > 0, got \(r)") }
        guard (1...3).contains(s.minimumROIDimensions) else {
            throw RadiomicsError.invalidSetting("minimumROIDimensions must be 1, 2 or 3, got \(s.minimumROIDimensions)")
        }
        guard s.padDistance >= 0 else { throw RadiomicsError.invalidSetting("padDistance must be ≥ 0, got \(s.padDistance)") }
        guard s.gldmAlpha >= 0 else { throw RadiomicsError.invalidSetting("gldm_a must be ≥ 0, got \(s.gldmAlpha)") }
        guard s.voxelArrayShift.isFinite else { throw RadiomicsError.invalidSetting("voxelArrayShift must be finite") }
        for selection in s.featureClasses { _ = try FeatureCatalogue.resolve(selection) }
    }

    /// Bounding box (start, size) and voxel count of `label`; nil when absent.
    static func boundingBox(_ mask: ScalarGrid, label: Double) -> (start: SIMD3<Int>, size: SIMD3<Int>, count: Int)? {
        var lo = SIMD3(Int.max, Int.max, Int.max), hi = SIMD3(-1, -1, -1), count = 0
        var t = 0
        for k in 0..<mask.size.z {
            for j in 0..<mask.size.y {
                for i in 0..<mask.size.x {
                    if mask.samples[t] == label {
                        let p = SIMD3(i, j, k)
                        lo = pointwiseMin(lo, p); hi = pointwiseMax(hi, p); count += 1
                    }
                    t += 1
                }
            }
        }
        return count == 0 ? nil : (lo, hi &- lo &+ 1, count)
    }

    static func crop(_ image: ScalarGrid, _ mask: ScalarGrid, label: Double,
                     box: (start: SIMD3<Int>, size: SIMD3<Int>, count: Int)) -> Region {
        var values: [Double] = [], inside: [Bool] = []
        values.reserveCapacity(box.size.x * box.size.y * box.size.z)
        inside.reserveCapacity(values.capacity)
        for k in box.start.z..<(box.start.z + box.size.z) {
            for j in box.start.y..<(box.start.y + box.size.y) {
                for i in box.start.x..<(box.start.x + box.size.x) {
                    let t = image.index(i, j, k)
                    values.append(image.samples[t])
                    inside.append(mask.samples[t] == label)
                }
            }
        }
        return Region(size: box.size, spacing: image.geometry.spacing, intensities: values, inside: inside, voxelCount: box.count)
    }

    static func summary(_ v: [Double]) -> (Double, Double, Double) {
        var s = 0.0, lo = Double.infinity, hi = -Double.infinity
        for x in v { s += x; lo = min(lo, x); hi = max(hi, x) }
        return (s / Double(v.count), lo, hi)
    }

    static func settingsFields(_ s: RadiomicsSettings) -> [(name: String, value: DiagnosticValue)] {
        var out: [(name: String, value: DiagnosticValue)] = []
        if let c = s.binCount { out.append(("binCount", .number(Double(c)))) } else { out.append(("binWidth", .number(s.binWidth))) }
        out.append(("discretisation", .text(s.discretisation.rawValue)))
        if let r = s.resampledPixelSpacing {
            out.append(("resampledPixelSpacing", .numbers(r)))
            out.append(("interpolator", .text(s.interpolator.rawValue)))
            out.append(("padDistance", .number(Double(s.padDistance))))
        }
        out.append(("normalize", .text(String(s.normalize))))
        if s.normalize {
            out.append(("normalizeScale", .number(s.normalizeScale)))
            if let r = s.removeOutliers { out.append(("removeOutliers", .number(r))) }
        }
        out.append(("label", .number(Double(s.label))))
        out.append(("minimumROIDimensions", .number(Double(s.minimumROIDimensions))))
        if let m = s.minimumROISize { out.append(("minimumROISize", .number(Double(m)))) }
        out.append(("voxelArrayShift", .number(s.voxelArrayShift)))
        out.append(("symmetricalGLCM", .text(String(s.symmetricalGLCM))))
        out.append(("gldm_a", .number(Double(s.gldmAlpha))))
        out.append(("featureClass", .text(s.featureClasses.map(\.featureClass.rawValue).joined(separator: ","))))
        return out
    }

    static func vector(_ v: SIMD3<Double>) -> [Double] { [v.x, v.y, v.z] }
    static func vector(_ v: SIMD3<Int>) -> [Double] { [Double(v.x), Double(v.y), Double(v.z)] }
    static func describe(_ v: SIMD3<Int>) -> String { "\(v.x)×\(v.y)×\(v.z)" }
    static func describe(_ v: SIMD3<Double>) -> String { "(\(v.x), \(v.y), \(v.z))" }
}
