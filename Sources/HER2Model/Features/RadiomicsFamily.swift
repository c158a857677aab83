import Foundation
import Radiomics
import Volumes

/// Handcrafted radiomics of one study inside one reader's mask: pyradiomics' default features
/// (`Radiomics.RadiomicsExtractor`, equal to pyradiomics 3.1) of T1, T2 and the early DCE
/// subtraction on the aligned DCE grid, the family training compares the deep features with.
///
/// Conventions (stated once):
/// - **Names**: `radiomics.mask.original_shape_<F>` (the 14 shape features, once: they depend on
///   the mask only), then for each channel `t1`, `t2`, `dce_sub` the 93 intensity features
///   `radiomics.<channel>.original_<class>_<F>` (first order, GLCM, GLRLM, GLSZM, GLDM, NGTDM)
///   in pyradiomics' order — 293 names, fixed.
/// - **Intensities**: the Preprocessor's normalisation (z-score inside the breast mask, the same
///   map the patches use) × `intensityScale` (100), so pyradiomics' default `binWidth` 25 bins
///   a quarter of a standard deviation whatever the centre's scanner scale — pyradiomics'
///   `normalize: true, normalizeScale: 100` habit for MR, with the breast-mask z-score instead
///   of the whole-image one. The subtraction is (phase `earlyPhase` − phase 0) / the DCE's
///   scale × 100 (offset-free). Every other setting is pyradiomics' default (no resampling,
///   label 1, all seven classes); no T2 → the T2 channel is the T1's (noted by the patch stage).
/// - **Precision**: values are rounded to float32, as the feature cache stores them, so a run
///   from the cache trains exactly the model a fresh run trains. A NaN (pyradiomics' documented
///   undefined cases) stays NaN; training leaves such columns out and says so.
public struct RadiomicsFamily: Sendable {
    public struct Settings: Sendable {
        /// pyradiomics' settings (defaults: binWidth 25, no resampling, all classes).
        public var radiomics = RadiomicsSettings()
        /// Normalised intensities are multiplied by this before binning.
        public var intensityScale = 100.0
        public init() {}
    }

    /// Version of this stage's method (part of its cache key); bump it when features change.
    public static let version = "radiomics-1"
    /// Every radiomics feature name starts with this.
    public static let prefix = "radiomics."

    public let settings: Settings
    /// DCE phase of the early subtraction (the patch stage's).
    public let earlyPhase: Int

    public init(settings: Settings, earlyPhase: Int) {
        self.settings = settings
        self.earlyPhase = earlyPhase
    }

    /// The channels in name order (shape features under `mask` come first).
    static let channels: [Patches.Channel] = [.t1, .t2, .dceSub]

    var shapeSettings: RadiomicsSettings {
        var s = settings.radiomics
        s.featureClasses = s.featureClasses.filter { $0.featureClass == .shape }
        return s
    }

    var intensitySettings: RadiomicsSettings {
        var s = settings.radiomics
        s.featureClasses = s.featureClasses.filter { $0.featureClass != .shape }
        return s
    }

    /// The feature names, in order.
    public func names() throws -> [String] {
        let shape = try RadiomicsExtractor.featureNames(settings: shapeSettings).map { "\(RadiomicsFamily.prefix)mask.\($0)" }
        let intensity = try RadiomicsExtractor.featureNames(settings: intensitySettings)
        return shape + RadiomicsFamily.channels.flatMap { c in intensity.map { "\(RadiomicsFamily.prefix)\(c.rawValue).\($0)" } }
    }

    /// What the cache key needs to know of the settings.
    var describe: String {
        "\(RadiomicsFamily.version)|scale:\(settings.intensityScale)|early:\(earlyPhase)|\(settings.radiomics)"
    }

    /// The features of both readers' masks, in `names()` order, rounded to float32.
    func extract(_ aligned: AlignedStudy, reader1: Volume, reader2: Volume) throws -> (reader1: [Double], reader2: [Double]) {
        let study = aligned.study.folder.lastPathComponent
        // Work on the union of both masks' bounding boxes plus one voxel: the extractor's
        // whole-image passes then cost nothing, and the images are made only where needed.
        guard let box = RadiomicsFamily.boundingBox([reader1, reader2]) else {
            throw HER2ModelError.invalidStudy(path: aligned.study.folder.path, reason: "study \(study): the lesion mask is empty")
        }
        let dce = aligned.dce
        guard dce.phases > earlyPhase else {
            throw HER2ModelError.invalidStudy(path: aligned.study.folder.path, reason: "study \(study): the DCE has no phase \(earlyPhase) for the subtraction")
        }
        func map(_ key: String, _ v: Volume) -> IntensityNormalisation {
            aligned.normalisation[key] ?? Patches.zscore(v, in: aligned.breastMask)
        }
        let scale = settings.intensityScale
        let n1 = map("T1", aligned.t1)
        let t1 = try RadiomicsFamily.crop(aligned.t1, box) { v, _ in Double(n1.apply(v)) * scale }
        let t2: Volume
        if let source = aligned.t2 {
            let n2 = map("T2", source)
            t2 = try RadiomicsFamily.crop(source, box) { v, _ in Double(n2.apply(v)) * scale }
        } else {
            t2 = t1
        }
        let dceScale = map("DCE", dce.phase(0)).scale
        let early = dce.phase(earlyPhase)
        let sub = try RadiomicsFamily.crop(dce.phase(0), box) { v, t in Double(early.samples[t] - v) / dceScale * scale }
        let images = [t1, t2, sub]
        let masks = try [reader1, reader2].map { try RadiomicsFamily.crop($0, box) { v, _ in v > 0.5 ? 1 : 0 } }
        func run(_ image: Volume, _ mask: Volume, _ s: RadiomicsSettings, _ what: String) throws -> [Double] {
            do {
                return try RadiomicsExtractor.extract(image: image, mask: mask, sampleType: .float32, settings: s)
                    .features.map { Double(Float($0.value)) }
            } catch let e as RadiomicsError {
                throw HER2ModelError.invalidStudy(path: aligned.study.folder.path, reason: "study \(study): radiomics of \(what): \(e)")
            }
        }
        var out: [[Double]] = []
        for (r, mask) in masks.enumerated() {
            let reader = r == 0 ? "the lesion mask" : "the second reader's mask"
            var v = try run(t1, mask, shapeSettings, "the shape of \(reader)")
            for (c, image) in zip(RadiomicsFamily.channels, images) {
                v += try run(image, mask, intensitySettings, "\(c.rawValue) in \(reader)")
            }
            out.append(v)
        }
        return (out[0], out[1])
    }

    /// Start and size of the voxels > 0.5 of any of the masks, grown by one voxel (clamped).
    static func boundingBox(_ masks: [Volume]) -> (start: SIMD3<Int>, size: SIMD3<Int>)? {
        var lo = SIMD3(Int.max, Int.max, Int.max), hi = SIMD3(-1, -1, -1)
        for m in masks {
            let s = m.size
            for k in 0..<s.z { for j in 0..<s.y {
                let row = s.x * (j + s.y * k)
                for i in 0..<s.x where m.samples[row + i] > 0.5 {
                    lo = pointwiseMin(lo, SIMD3(i, j, k)); hi = pointwiseMax(hi, SIMD3(i, j, k))
                }
            } }
        }
        guard hi.x >= 0, let size = masks.first?.size else { return nil }
        lo = pointwiseMax(lo &- 1, .zero)
        hi = pointwiseMin(hi &+ 1, size &- 1)
        return (lo, hi &- lo &+ 1)
    }

    /// The box of phase 0 of `v` as its own volume (geometry moved to the box's corner), each
    /// sample mapped by `transform(value, index in v)`.
    static func crop(_ v: Volume, _ box: (start: SIMD3<Int>, size: SIMD3<Int>),
                     _ transform: (Float, Int) -> Double) throws -> Volume {
        var geometry = v.geometry
        geometry.origin = v.geometry.world(ofIndex: SIMD3<Double>(box.start))
        var samples = [Float]()
        samples.reserveCapacity(box.size.x * box.size.y * box.size.z)
        for k in box.start.z..<(box.start.z + box.size.z) {
            for j in box.start.y..<(box.start.y + box.size.y) {
                let row = v.size.x * (j + v.size.y * k)
                for i in box.start.x..<(box.start.x + box.size.x) {
                    samples.append(Float(transform(v.samples[row + i], row + i)))
                }
            }
        }
        return try Volume(size: box.size, geometry: geometry, samples: samples)
    }
}
