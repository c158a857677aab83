import Foundation
import Support
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
                               provenance: [(name: String, value: JSONValue)] = [],
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
        let voxels = image.size.x * image.size.y * image.size.z
        // One pass over the mask (labels present, the label's box) beside one over the image
        // (diagnostic mean / min / max): two threads.
        let label = Double(settings.label)
        let passes = try ParallelMap.map([0, 1], width: 2) { n -> WholeImagePass in
            n == 0 ? .mask(scanMask(mask.samples, size: mask.size, label: label))
                   : .image(summary(image.samples[0..<voxels]))
        }
        guard case let .mask(scan) = passes[0], case let .image(imageSummary) = passes[1] else {
            preconditionFailure("ParallelMap keeps the input order")
        }
        let labels = scan.labels
        guard !labels.isEmpty else { throw RadiomicsError.emptyMask }
        guard labels.contains(settings.label), let originalBox = scan.box else {
            throw RadiomicsError.labelNotInMask(label: settings.label, present: labels)
        }
        let (imageMean, imageMin, imageMax) = imageSummary
        diagnostics += [
            ("diagnostics_Configuration_Settings", .object(settingsFields(settings).map { ($0.name, $0.value) })),
            ("diagnostics_Configuration_EnabledImageTypes", .string("Original")),
            ("diagnostics_Image-original_Dimensionality", .string("3D")),
            ("diagnostics_Image-original_Spacing", .numbers(vector(image.geometry.spacing))),
            ("diagnostics_Image-original_Size", .numbers(vector(image.size))),
            ("diagnostics_Image-original_Mean", .number(imageMean)),
            ("diagnostics_Image-original_Minimum", .number(imageMin)),
            ("diagnostics_Image-original_Maximum", .number(imageMax)),
            ("diagnostics_Mask-original_Spacing", .numbers(vector(mask.geometry.spacing))),
            ("diagnostics_Mask-original_Size", .numbers(vector(mask.size))),
            ("diagnostics_Mask-original_Labels", .numbers(labels.map(Double.init))),
        ]
        diagnostics += [
            ("diagnostics_Mask-original_BoundingBox", .numbers(vector(originalBox.start) + vector(originalBox.size))),
            ("diagnostics_Mask-original_VoxelNum", .number(Double(originalBox.count))),
        ]

        // Whole-image steps (normalisation, resampling) work in float64 on the full grid, as
        // SimpleITK does; without them the region is cut straight from the float32 volumes.
        var storedType = sampleType
        let region: Region
        let box: (start: SIMD3<Int>, size: SIMD3<Int>, count: Int)
        if settings.normalize || settings.resampledPixelSpacing != nil {
            var imageGrid = ScalarGrid(image)
            var maskGrid = ScalarGrid(mask)
            for t in 0..<maskGrid.count { maskGrid.samples[t] = maskGrid.samples[t].rounded(.towardZero) }
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
                    ("diagnostics_Image-interpolated_Interpolator", .string(settings.interpolator.rawValue)),
                ]
            } else if settings.resampledPixelSpacing != nil {
                notes.append("resampling skipped: the image already has the requested spacing")
            }
            guard let b = boundingBox(maskGrid.samples, size: maskGrid.size, label: label) else {
                throw RadiomicsError.labelNotInMask(label: settings.label, present: [])
            }
            box = b
            if settings.resampledPixelSpacing != nil {
                diagnostics.append(("diagnostics_Mask-interpolated_VoxelNum", .number(Double(box.count))))
                diagnostics.append(("diagnostics_Mask-interpolated_BoundingBox", .numbers(vector(box.start) + vector(box.size))))
            }
            region = crop(imageGrid.samples, maskGrid.samples, size: maskGrid.size, spacing: imageGrid.geometry.spacing,
                          label: label, box: box)
        } else {
            box = originalBox
            region = crop(image.samples, mask.samples, size: image.size, spacing: image.geometry.spacing, label: label, box: box)
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
        let nonFinite = region.regionIntensities.filter { !$0.isFinite }.count
        if nonFinite > 0 { throw RadiomicsError.nonFiniteIntensity(count: nonFinite) }

        var features: [(name: String, value: Double)] = []
        // Shape first, then the other classes in the order given (as pyradiomics does).
        let ordered = settings.featureClasses.filter { $0.featureClass == .shape }
            + settings.featureClasses.filter { $0.featureClass != .shape }
        let discretised = ordered.contains { $0.featureClass != .shape }
            ? try Discretisation.discretise(region, settings: settings, sampleType: storedType) : nil
        // The classes are independent: two threads (the machines have two cores).
        let values = try ParallelMap.map(ordered.map(\.featureClass), width: 2) { c -> [String: Double] in
            switch c {
            case .shape: return ShapeFeatures.compute(region)
            case .firstorder: return FirstOrderFeatures.compute(region, discretised!, shift: settings.voxelArrayShift)
            case .glcm: return GLCMFeatures.compute(region, discretised!, symmetric: settings.symmetricalGLCM)
            case .glrlm: return GLRLMFeatures.compute(region, discretised!)
            case .glszm: return GLSZMFeatures.compute(region, discretised!)
            case .gldm: return GLDMFeatures.compute(region, discretised!, alpha: settings.gldmAlpha)
            case .ngtdm: return NGTDMFeatures.compute(region, discretised!)
            }
        }
        for (n, selection) in ordered.enumerated() {
            let computed = values[n]
            for name in try FeatureCatalogue.resolve(selection) {
                let full = "original_\(selection.featureClass.rawValue)_\(name)"
                let value = computed[name] ?? .nan
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

    /// The two whole-volume passes that run side by side.
    enum WholeImagePass: Sendable {
        case mask((labels: [Int], box: (start: SIMD3<Int>, size: SIMD3<Int>, count: Int)?))
        case image((Double, Double, Double))
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

    /// The labels present (mask values truncated toward zero, as pyradiomics' cast to UInt32)
    /// and the bounding box of `label`, in one pass that skips zeros 16 at a time.
    static func scanMask(_ samples: [Float], size: SIMD3<Int>, label: Double)
        -> (labels: [Int], box: (start: SIMD3<Int>, size: SIMD3<Int>, count: Int)?) {
        var labels = Set<Int>()
        var lo = SIMD3(Int.max, Int.max, Int.max), hi = SIMD3(-1, -1, -1), count = 0
        let target = Float(label)
        var lastLabel: Float = 0
        samples.withUnsafeBufferPointer { p in
            let raw = UnsafeRawPointer(p.baseAddress!)
            var t = 0
            for k in 0..<size.z {
                for j in 0..<size.y {
                    var start = 0
                    while start + 16 <= size.x,
                          raw.loadUnaligned(fromByteOffset: (t + start) * 4, as: SIMD16<Float>.self) == .zero { start += 16 }
                    var first = -1, last = 0
                    for i in start..<size.x {
                        let v = p[t + i]
                        if v == 0 { continue }
                        let l = v.rounded(.towardZero)
                        if l != lastLabel, l != 0 { labels.insert(Int(l)); lastLabel = l }
                        if l == target {
                            if first < 0 { first = i }
                            last = i
                            count += 1
                        }
                    }
                    if first >= 0 {
                        lo = pointwiseMin(lo, SIMD3(first, j, k)); hi = pointwiseMax(hi, SIMD3(last, j, k))
                    }
                    t += size.x
                }
            }
        }
        return (labels.sorted(), count == 0 ? nil : (lo, hi &- lo &+ 1, count))
    }

    /// Bounding box (start, size) and voxel count of `label` (samples truncated toward zero); nil when absent.
    static func boundingBox<T: BinaryFloatingPoint>(_ samples: [T], size: SIMD3<Int>, label: Double)
        -> (start: SIMD3<Int>, size: SIMD3<Int>, count: Int)? {
        var lo = SIMD3(Int.max, Int.max, Int.max), hi = SIMD3(-1, -1, -1), count = 0
        let target = T(label)
        samples.withUnsafeBufferPointer { p in
            var t = 0
            for k in 0..<size.z {
                for j in 0..<size.y {
                    var rowHit = false, first = 0, last = 0
                    var start = 0
                    if T.self == Float.self {   // skip runs of zeros 16 at a time
                        let raw = UnsafeRawPointer(p.baseAddress! + t).assumingMemoryBound(to: Float.self)
                        while start + 16 <= size.x,
                              UnsafeRawPointer(raw + start).loadUnaligned(as: SIMD16<Float>.self) == .zero { start += 16 }
                    }
                    for i in start..<size.x {
                        let v = p[t + i]
                        if v != 0 && v.rounded(.towardZero) == target {
                            if !rowHit { first = i; rowHit = true }
                            last = i
                            count += 1
                        }
                    }
                    if rowHit {
                        lo = pointwiseMin(lo, SIMD3(first, j, k)); hi = pointwiseMax(hi, SIMD3(last, j, k))
                    }
                    t += size.x
                }
            }
        }
        return count == 0 ? nil : (lo, hi &- lo &+ 1, count)
    }

    static func crop<T: BinaryFloatingPoint, U: BinaryFloatingPoint>(
        _ image: [T], _ mask: [U], size: SIMD3<Int>, spacing: SIMD3<Double>, label: Double,
        box: (start: SIMD3<Int>, size: SIMD3<Int>, count: Int)) -> Region {
        var values: [Double] = [], inside: [Bool] = []
        let n = box.size.x * box.size.y * box.size.z
        values.reserveCapacity(n)
        inside.reserveCapacity(n)
        let target = U(label)
        for k in box.start.z..<(box.start.z + box.size.z) {
            for j in box.start.y..<(box.start.y + box.size.y) {
                let row = size.x * (j + size.y * k)
                for i in box.start.x..<(box.start.x + box.size.x) {
                    values.append(Double(image[row + i]))
                    inside.append(mask[row + i].rounded(.towardZero) == target)
                }
            }
        }
        return Region(size: box.size, spacing: spacing, intensities: values, inside: inside, voxelCount: box.count)
    }

    /// Mean, minimum and maximum of the whole image (diagnostics). Sums in float32 blocks of
    /// 4096 samples carried into a double total (exact enough for a diagnostic, and fast).
    static func summary(_ v: ArraySlice<Float>) -> (Double, Double, Double) {
        v.withUnsafeBufferPointer { p -> (Double, Double, Double) in
            let n = p.count
            var total = 0.0
            var lo = Float.infinity, hi = -Float.infinity
            var t = 0
            while t < n {
                let end = min(t + 4096, n)
                var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
                var i = t
                while i + 4 <= end {
                    let a = p[i], b = p[i + 1], c = p[i + 2], d = p[i + 3]
                    s0 += a; s1 += b; s2 += c; s3 += d
                    lo = a < lo ? a : lo; lo = b < lo ? b : lo; lo = c < lo ? c : lo; lo = d < lo ? d : lo
                    hi = a > hi ? a : hi; hi = b > hi ? b : hi; hi = c > hi ? c : hi; hi = d > hi ? d : hi
                    i += 4
                }
                while i < end { s0 += p[i]; lo = p[i] < lo ? p[i] : lo; hi = p[i] > hi ? p[i] : hi; i += 1 }
                total += Double(s0) + Double(s1) + Double(s2) + Double(s3)
                t = end
            }
            return (total / Double(n), Double(lo), Double(hi))
        }
    }

    static func settingsFields(_ s: RadiomicsSettings) -> [(name: String, value: JSONValue)] {
        var out: [(name: String, value: JSONValue)] = []
        if let c = s.binCount { out.append(("binCount", .number(Double(c)))) } else { out.append(("binWidth", .number(s.binWidth))) }
        out.append(("discretisation", .string(s.discretisation.rawValue)))
        if let r = s.resampledPixelSpacing {
            out.append(("resampledPixelSpacing", .numbers(r)))
            out.append(("interpolator", .string(s.interpolator.rawValue)))
            out.append(("padDistance", .number(Double(s.padDistance))))
        }
        out.append(("normalize", .bool(s.normalize)))
        if s.normalize {
            out.append(("normalizeScale", .number(s.normalizeScale)))
            if let r = s.removeOutliers { out.append(("removeOutliers", .number(r))) }
        }
        out.append(("label", .number(Double(s.label))))
        out.append(("minimumROIDimensions", .number(Double(s.minimumROIDimensions))))
        if let m = s.minimumROISize { out.append(("minimumROISize", .number(Double(m)))) }
        out.append(("voxelArrayShift", .number(s.voxelArrayShift)))
        out.append(("symmetricalGLCM", .bool(s.symmetricalGLCM)))
        out.append(("gldm_a", .number(Double(s.gldmAlpha))))
        out.append(("featureClass", .string(s.featureClasses.map(\.featureClass.rawValue).joined(separator: ","))))
        return out
    }

    static func vector(_ v: SIMD3<Double>) -> [Double] { [v.x, v.y, v.z] }
    static func vector(_ v: SIMD3<Int>) -> [Double] { [Double(v.x), Double(v.y), Double(v.z)] }
    static func describe(_ v: SIMD3<Int>) -> String { "\(v.x)×\(v.y)×\(v.z)" }
    static func describe(_ v: SIMD3<Double>) -> String { "(\(v.x), \(v.y), \(v.z))" }
}
