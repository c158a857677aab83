import Dispatch
import Foundation
import Support

/// Rigid (six-parameter) registration of a moving image to a fixed one by Mattes mutual
/// information (Mattes et al., IEEE TMI 2003), over a multi-resolution pyramid, optimised by
/// regular-step gradient descent with physical-shift parameter scales.
///
/// Conventions (stated once, as ITK):
/// - the transform found maps **fixed** world points to **moving** world points (LPS mm):
///   moving(T(x)) ≈ fixed(x); resample the moving image with it to put it on the fixed grid;
/// - T(x) = R(x − c) + c + t with R = Rz·Ry·Rx (`RigidTransform`), c the centre of the fixed
///   image's grid; the start is the identity (or `initial`): images of one examination share the
///   scanner's frame of reference, so no centring by image geometry or moments is done.
///
/// Configure, then fit: the fixed side (its pyramid, samples and bins) is prepared once in
/// `init` and reused for every moving image (the DCE phases of one study share it).
public struct RigidRegistration: Sendable {
    public let settings: RigidRegistrationSettings
    /// Name of the fixed image in error messages.
    public let fixedName: String
    /// Centre of rotation: the centre of the fixed grid (world, mm).
    public let centre: SIMD3<Double>
    let levels: [Level]

    /// The fixed side of one pyramid level.
    struct Level: Sendable {
        var samples: MattesMutualInformation.FixedSamples
        /// Largest distance (mm) of a sample from the centre: the physical shift per radian.
        var radius: Double
        /// Voxel size (mm) the level's images need not be finer than (0: full resolution).
        var resolution: Double
    }

    /// Prepares the fixed image: pyramid levels, the samples of each (inside `mask` when given:
    /// voxels > 0.5, on the fixed grid) and their bins.
    public init(fixed: Volume, name: String = "fixed", mask: Volume? = nil,
                settings: RigidRegistrationSettings = RigidRegistrationSettings()) throws {
        try RigidRegistration.validate(settings)
        guard fixed.phases == 1 else {
            throw VolumeError.registration("the fixed image '\(name)' has \(fixed.phases) phases; register one 3-D phase at a time")
        }
        if let mask, mask.size != fixed.size {
            throw VolumeError.registration("the mask of the fixed image '\(name)' is \(mask.size) voxels, the image \(fixed.size)")
        }
        self.settings = settings
        self.fixedName = name
        let g = fixed.geometry
        let centre = g.world(ofIndex: SIMD3(Double(fixed.size.x - 1), Double(fixed.size.y - 1), Double(fixed.size.z - 1)) / 2)
        self.centre = centre
        let threads = settings.threads > 0 ? settings.threads : ConcurrentChunks.defaultThreads
        var levels: [Level] = []
        let n = fixed.size
        let finestSpacing = fixed.geometry.spacing.min()
        func resolution(_ factor: Int) -> Double { factor > 1 ? Double(factor) * finestSpacing : 0 }
        let top = SIMD3(Double(n.x - 1), Double(n.y - 1), Double(n.z - 1))
        for (index, (factor, sigma)) in zip(settings.shrinkFactors, settings.smoothingSigmasMm).enumerated() {
            // ITK's pyramid (ImageRegistrationMethodv4): the shrink factor sets the sample grid
            // (the "virtual domain"); sample values are read by trilinear interpolation from the
            // image smoothed by σ (`pyramidLevel`: coarser only along axes finer than the grid).
            let image = fixed.pyramidLevel(sigmaMm: sigma, resolutionMm: resolution(factor), threads: threads)
            var lo = Float.infinity, hi = -Float.infinity
            for v in image.samples { lo = min(lo, v); hi = max(hi, v) }
            guard hi > lo else {
                throw VolumeError.registration("the fixed image '\(name)' is constant (\(lo)); mutual information needs contrast")
            }
            let imageIndex = Affine3.worldToIndex(image.geometry)
            let imageSize = image.size
            let imageTop = SIMD3(Double(imageSize.x - 1), Double(imageSize.y - 1), Double(imageSize.z - 1))
            let binInverse = Float(settings.histogramBins - 4) / (hi - lo)
            let f = SIMD3(min(factor, n.x), min(factor, n.y), min(factor, n.z))
            let grid = SIMD3(n.x / f.x, n.y / f.y, n.z / f.z)
            let blockCentre = SIMD3(Double(f.x - 1), Double(f.y - 1), Double(f.z - 1)) / 2
            let scale = SIMD3(Double(f.x), Double(f.y), Double(f.z))
            let everyVoxel = settings.samplingFraction >= 1
            var rng = SplitMix64(seed: settings.samplingSeed &+ UInt64(index))
            // Bernoulli(fraction) per grid voxel, drawn as geometric gaps between chosen voxels.
            let logMiss = everyVoxel ? 0 : log1p(-settings.samplingFraction)
            func gap() -> Int {
                guard !everyVoxel else { return 0 }
                let u = 1 - rng.unit() // (0, 1]
                return Int(min(Double(Int32.max), (log(u) / logMiss).rounded(.down)))
            }
            var s = MattesMutualInformation.FixedSamples()
            // Samples are kept in tiles of about 16 mm (in scan order of tiles, then of voxels):
            // the moving image is read at 8 voxels around each sample, and in scan order those
            // reads run over whole slices, which do not stay in cache from one row to the next.
            let tile = SIMD3((0..<3).map { max(1, Int((16 / fixed.geometry.spacing[$0]).rounded())) })
            let tiles = (n &+ tile &- 1) / tile
            var tileOf: [Int32] = []
            let toWorld = fixed.geometry.indexToWorldMap
            var radius = 0.0
            let total = grid.x * grid.y * grid.z
            image.samples.withUnsafeBufferPointer { pixels in
                let src = UnsafeMutablePointer(mutating: pixels.baseAddress!)
                var v = gap()
                while v < total {
                    let i = v % grid.x, j = (v / grid.x) % grid.y, k = v / (grid.x * grid.y)
                    v += 1 + gap()
                    var p = SIMD3(Double(i), Double(j), Double(k))
                    if !everyVoxel {
                        // Random samples are jittered within their grid voxel (as ITK's RANDOM
                        // sampling): samples exactly on the grid would meet the trilinear
                        // interpolant's one-sided derivative there and bias the gradient when the
                        // moving image sits on nearly the same grid (DCE phases).
                        p += SIMD3(rng.unit(), rng.unit(), rng.unit()) - 0.5
                    }
                    p = pointwiseMin(pointwiseMax(p * scale + blockCentre, .zero), top)
                    if let mask {
                        let r = p.rounded(.toNearestOrEven)
                        if !(mask.samples[Int(r.x) + n.x * (Int(r.y) + n.y * Int(r.z))] > 0.5) { continue }
                    }
                    let world = toWorld.apply(p)
                    let value: Float
                    if image.size == n && everyVoxel && factor == 1 {
                        value = src[i + n.x * (j + n.y * k)]
                    } else {
                        value = Volume.trilinear(src, imageSize, pointwiseMin(pointwiseMax(imageIndex.apply(world), .zero), imageTop))
                    }
                    let q = world - centre
                    s.qx.append(Float(q.x)); s.qy.append(Float(q.y)); s.qz.append(Float(q.z))
                    s.bins.append(MattesMutualInformation.fixedBin(value, minimum: lo, binInverse: binInverse,
                                                                  bins: settings.histogramBins))
                    radius = max(radius, (q * q).sum())
                    let t = SIMD3(Int(p.x), Int(p.y), Int(p.z)) / tile
                    tileOf.append(Int32(t.x + tiles.x * (t.y + tiles.y * t.z)))
                }
            }
            s.sortByTile(tileOf)
            guard s.count >= 16 else {
                throw VolumeError.registration("the fixed image '\(name)' gives \(s.count) samples at shrink factor \(factor); use a larger sampling fraction or mask")
            }
            levels.append(Level(samples: s, radius: radius.squareRoot(), resolution: resolution(factor)))
        }
        self.levels = levels
    }

    /// Registers `moving` (3-D, any grid) to the fixed image, starting from `initial`.
    /// Throws `VolumeError.noOverlap` naming both images when too few samples map inside it.
    public func register(_ moving: Volume, name: String = "moving", initial: RigidTransform = .identity) throws -> RegistrationResult {
        let start = DispatchTime.now().uptimeNanoseconds
        guard moving.phases == 1 else {
            throw VolumeError.registration("the moving image '\(name)' has \(moving.phases) phases; register one 3-D phase at a time")
        }
        let threads = settings.threads > 0 ? settings.threads : ConcurrentChunks.defaultThreads
        // The initial transform about our centre: R(x − c0) + c0 + t0 = R(x − c) + [R(c − c0) + c0 + t0 − c].
        let r0 = Affine3.rigid(RigidTransform(rotationDegrees: initial.rotationDegrees))
        let t0 = r0.applyLinear(centre - initial.centre) + initial.centre + initial.translation - centre
        let d = initial.rotationDegrees * (Double.pi / 180)
        var mu = [d.x, d.y, d.z, t0.x, t0.y, t0.z]

        let optimiser = RegularStepGradientDescent(
            learningRate: settings.learningRate, minimumStepLength: settings.minimumStepLength,
            relaxationFactor: settings.relaxationFactor, gradientMagnitudeTolerance: settings.gradientMagnitudeTolerance,
            maximumIterations: settings.maximumIterations, convergenceWindow: settings.convergenceWindow,
            convergenceTolerance: settings.convergenceTolerance, stepGrowthAfter: settings.stepGrowthAfter)
        var iterations: [Int] = [], reasons: [String] = []
        // The moving image of each level: smoothed by σ, coarser only along axes finer than the
        // level's sample grid (`pyramidLevel`); levels with the same σ and grid share one image.
        var smoothed: [SIMD2<Double>: Volume] = [:]
        func metric(_ index: Int) -> MattesMutualInformation {
            let sigma = settings.smoothingSigmasMm[index]
            let key = SIMD2(sigma, levels[index].resolution)
            if smoothed[key] == nil {
                smoothed[key] = moving.pyramidLevel(sigmaMm: sigma, resolutionMm: levels[index].resolution, threads: threads)
            }
            return MattesMutualInformation(bins: settings.histogramBins, fixed: levels[index].samples,
                                           moving: smoothed[key]!, centre: centre, threads: threads)
        }
        func checked(_ metric: MattesMutualInformation, _ mu: [Double]) throws -> MattesMutualInformation.Evaluation {
            let e = metric.evaluate(mu)
            let fraction = Double(e.validSamples) / Double(metric.fixed.count)
            if fraction < settings.minimumOverlapFraction {
                throw VolumeError.noOverlap(fixed: fixedName, moving: name, fraction: fraction,
                                            required: settings.minimumOverlapFraction)
            }
            return e
        }
        // The start on the finest samples, for the record (and an early overlap check).
        let finest = metric(levels.count - 1)
        let before = try checked(finest, mu).value
        for (index, level) in levels.enumerated() {
            let current = index == levels.count - 1 ? finest : metric(index)
            let shift = [level.radius, level.radius, level.radius, 1, 1, 1]
            let outcome = try optimiser.minimise(from: mu, shiftPerUnit: shift) { p in
                let e = try checked(current, p)
                return (e.value, e.gradient)
            }
            mu = outcome.parameters
            iterations.append(outcome.iterations)
            reasons.append(outcome.stopReason)
        }
        let end = finest.evaluate(mu)
        let fraction = Double(end.validSamples) / Double(levels[levels.count - 1].samples.count)
        let transform = RigidTransform(rotationDegrees: SIMD3(mu[0], mu[1], mu[2]) * (180 / Double.pi),
                                       translation: SIMD3(mu[3], mu[4], mu[5]), centre: centre)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return RegistrationResult(transform: transform, metricBefore: before, metricAfter: end.value,
                                  iterations: iterations, stopReasons: reasons, overlapFraction: fraction, seconds: seconds)
    }

    /// Settings a caller can get wrong, each named.
    static func validate(_ s: RigidRegistrationSettings) throws {
        func bad(_ why: String) -> VolumeError { .registration("invalid registration settings: \(why)") }
        guard s.histogramBins >= 8 else { throw bad("histogramBins \(s.histogramBins) must be ≥ 8") }
        guard s.samplingFraction > 0 && s.samplingFraction <= 1 else { throw bad("samplingFraction \(s.samplingFraction) must be in (0, 1]") }
        guard !s.shrinkFactors.isEmpty, s.shrinkFactors.count == s.smoothingSigmasMm.count else {
            throw bad("shrinkFactors (\(s.shrinkFactors.count)) and smoothingSigmasMm (\(s.smoothingSigmasMm.count)) must be non-empty and of one length")
        }
        guard s.shrinkFactors.allSatisfy({ $0 >= 1 }), s.smoothingSigmasMm.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
            throw bad("shrink factors must be ≥ 1 and smoothing σ finite and ≥ 0")
        }
        guard s.learningRate > 0, s.minimumStepLength > 0, s.relaxationFactor > 0, s.relaxationFactor < 1,
              s.maximumIterations >= 0, s.gradientMagnitudeTolerance >= 0 else {
            throw bad("learningRate and minimumStepLength must be > 0, relaxationFactor in (0, 1), iterations ≥ 0")
        }
        guard s.convergenceWindow >= 0, s.convergenceTolerance >= 0, s.stepGrowthAfter >= 0 else {
            throw bad("convergenceWindow, convergenceTolerance and stepGrowthAfter must be ≥ 0")
        }
        guard s.minimumOverlapFraction > 0 && s.minimumOverlapFraction <= 1 else {
            throw bad("minimumOverlapFraction \(s.minimumOverlapFraction) must be in (0, 1]")
        }
    }
}
