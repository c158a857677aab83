import Foundation
import Volumes

/// Resampling before extraction, as pyradiomics does it (`imageoperations.resampleImage`) with
/// SimpleITK's `ResampleImageFilter` and interpolators.
///
/// The new grid (pyradiomics): spacing s' (0 keeps an axis; an axis where the region is one
/// voxel thick keeps its spacing); ratio r = s / s'; the grid covers the region's bounding box
/// [b, b + n) as new indices ⌊(b − ½) r − pad⌋ … ⌈(b + n − ½) r + pad⌉, clipped to
/// [0, ⌈N r⌉ − 1]; voxel centres are placed so that the new and old grids share their outer
/// corner. The image is interpolated over the whole original image, the mask by nearest
/// neighbour. Points outside [−½, N − ½) in any axis get 0 (ITK's default pixel value).
/// Interpolators (ITK): nearest neighbour rounds half up; linear clamps its neighbours to the
/// image; cubic B-spline (order 3, Unser 1999, IEEE Signal Processing Magazine 16(6)) uses
/// coefficients from the recursive prefilter with mirror boundaries (pole √3 − 2, ITK's
/// initialisation with tolerance 1e-10) and mirrored indices at the border.
/// Interpolated image values are cast back to the stored sample type (see `SampleType`).
/// IBSI 1 section 2.4 describes interpolation to isotropic voxels with grid alignment options;
/// pyradiomics' alignment is IBSI's "fit to original grid" variant with padding.
enum Resampling {
    /// The resampled image and mask, or nil when the spacing already matches.
    static func resample(image: ScalarGrid, mask: ScalarGrid, box: (start: SIMD3<Int>, size: SIMD3<Int>),
                         settings: RadiomicsSettings, sampleType: SampleType) throws -> (ScalarGrid, ScalarGrid)? {
        guard let requested = settings.resampledPixelSpacing else { return nil }
        guard requested.count == 3, requested.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw RadiomicsError.invalidSetting("resampledPixelSpacing must be three spacings ≥ 0 (mm), got \(requested)")
        }
        let maskSpacing = mask.geometry.spacing
        var spacing = SIMD3<Double>.zero
        for a in 0..<3 {
            spacing[a] = requested[a] == 0 ? maskSpacing[a] : requested[a]
            if box.size[a] == 1 { spacing[a] = maskSpacing[a] }
        }
        let imageSpacing = image.geometry.spacing
        if (0..<3).allSatisfy({ abs(imageSpacing[$0] - spacing[$0]) <= 1e-8 + 1e-5 * abs(spacing[$0]) }) {
            return nil
        }
        let pad = Double(settings.padDistance)
        var lower = SIMD3<Double>.zero, newSize = SIMD3<Int>.zero, originIndex = SIMD3<Double>.zero, step = SIMD3<Double>.zero
        for a in 0..<3 {
            let ratio = maskSpacing[a] / spacing[a]
            var lo = ((Double(box.start[a]) - 0.5) * ratio - pad).rounded(.down)
            var hi = ((Double(box.start[a] + box.size[a]) - 0.5) * ratio + pad).rounded(.up)
            let maxUpper = (Double(mask.size[a]) * ratio).rounded(.up) - 1
            if lo < 0 { lo = 0 }
            if hi > maxUpper { hi = maxUpper }
            lower[a] = lo
            newSize[a] = Int(hi - lo + 1)
            originIndex[a] = 0.5 * (spacing[a] - maskSpacing[a]) / maskSpacing[a] + lo / ratio
            step[a] = spacing[a] / imageSpacing[a]
        }
        guard newSize.x > 0, newSize.y > 0, newSize.z > 0 else {
            throw RadiomicsError.invalidSetting("resampling to \(requested) leaves an empty grid")
        }
        let geometry = Geometry(spacing: spacing, origin: mask.geometry.world(ofIndex: originIndex),
                                direction: mask.geometry.direction)
        let interpolate: (SIMD3<Double>) -> Double
        switch settings.interpolator {
        case .nearestNeighbor: interpolate = { nearest(image, $0) }
        case .linear: interpolate = { linear(image, $0) }
        case .bSpline:
            let coefficients = bSplineCoefficients(image)
            interpolate = { bSpline(coefficients, $0) }
        }
        let count = newSize.x * newSize.y * newSize.z
        var imageOut = [Double](repeating: 0, count: count)
        var maskOut = [Double](repeating: 0, count: count)
        var t = 0
        for k in 0..<newSize.z {
            for j in 0..<newSize.y {
                for i in 0..<newSize.x {
                    let x = originIndex + SIMD3(Double(i), Double(j), Double(k)) * step
                    if inside(image.size, x) {
                        imageOut[t] = sampleType.cast(interpolate(x))
                        maskOut[t] = nearest(mask, x)
                    }
                    t += 1
                }
            }
        }
        return (ScalarGrid(size: newSize, geometry: geometry, samples: imageOut),
                ScalarGrid(size: newSize, geometry: geometry, samples: maskOut))
    }

    /// ITK's `IsInsideBuffer` for a continuous index: −½ ≤ x < N − ½ on every axis.
    @inline(__always) static func inside(_ size: SIMD3<Int>, _ x: SIMD3<Double>) -> Bool {
        for a in 0..<3 where !(x[a] >= -0.5 && x[a] < Double(size[a]) - 0.5) { return false }
        return true
    }

    /// Nearest neighbour, halves rounded up (ITK `RoundHalfIntegerUp`).
    static func nearest(_ g: ScalarGrid, _ x: SIMD3<Double>) -> Double {
        var idx = SIMD3<Int>.zero
        for a in 0..<3 { idx[a] = min(max(Int((x[a] + 0.5).rounded(.down)), 0), g.size[a] - 1) }
        return g.samples[g.index(idx.x, idx.y, idx.z)]
    }

    /// Trilinear interpolation, neighbours clamped to the grid (ITK `LinearInterpolateImageFunction`).
    static func linear(_ g: ScalarGrid, _ x: SIMD3<Double>) -> Double {
        var base = SIMD3<Int>.zero, frac = SIMD3<Double>.zero
        for a in 0..<3 {
            let f = x[a].rounded(.down)
            base[a] = Int(f)
            frac[a] = x[a] - f
        }
        var value = 0.0
        for corner in 0..<8 {
            var w = 1.0
            var idx = SIMD3<Int>.zero
            for a in 0..<3 {
                let upper = (corner >> a) & 1 == 1
                w *= upper ? frac[a] : 1 - frac[a]
                idx[a] = min(max(base[a] + (upper ? 1 : 0), 0), g.size[a] - 1)
            }
            if w == 0 { continue }
            value += w * g.samples[g.index(idx.x, idx.y, idx.z)]
        }
        return value
    }

    /// Cubic B-spline coefficients of the whole grid (ITK `BSplineDecompositionImageFilter`).
    static func bSplineCoefficients(_ g: ScalarGrid) -> ScalarGrid {
        var c = g
        let z = 3.0.squareRoot() - 2
        let gain = (1 - z) * (1 - 1 / z)
        let horizon = Int((log(1e-10) / log(abs(z))).rounded(.up))
        for axis in 0..<3 {
            let n = g.size[axis]
            if n == 1 { continue }
            let stride = axis == 0 ? 1 : (axis == 1 ? g.size.x : g.size.x * g.size.y)
            var line = [Double](repeating: 0, count: n)
            let (a1, a2) = axis == 0 ? (1, 2) : (axis == 1 ? (0, 2) : (0, 1))
            for q in 0..<g.size[a2] {
                for p in 0..<g.size[a1] {
                    var start = SIMD3<Int>.zero
                    start[a1] = p; start[a2] = q
                    let first = c.index(start.x, start.y, start.z)
                    for t in 0..<n { line[t] = c.samples[first + t * stride] * gain }
                    // Causal initialisation (mirror boundary).
                    if horizon < n {
                        var zn = z, sum = line[0]
                        for t in 1..<horizon { sum += zn * line[t]; zn *= z }
                        line[0] = sum
                    } else {
                        var zn = z
                        let iz = 1 / z
                        var z2n = pow(z, Double(n - 1))
                        var sum = line[0] + z2n * line[n - 1]
                        z2n *= z2n * iz
                        if n > 2 { for t in 1...(n - 2) { sum += (zn + z2n) * line[t]; zn *= z; z2n *= iz } }
                        line[0] = sum / (1 - zn * zn)
                    }
                    for t in 1..<n { line[t] += z * line[t - 1] }
                    line[n - 1] = (z / (z * z - 1)) * (z * line[n - 2] + line[n - 1])
                    var t = n - 2
                    while t >= 0 { line[t] = z * (line[t + 1] - line[t]); t -= 1 }
                    for t in 0..<n { c.samples[first + t * stride] = line[t] }
                }
            }
        }
        return c
    }

    /// Cubic B-spline value at a continuous index (ITK `BSplineInterpolateImageFunction`).
    static func bSpline(_ c: ScalarGrid, _ x: SIMD3<Double>) -> Double {
        var index = [[Int]](repeating: [0, 0, 0, 0], count: 3)
        var weight = [[Double]](repeating: [0, 0, 0, 0], count: 3)
        for a in 0..<3 {
            let first = Int(x[a].rounded(.down)) - 1
            let w = x[a] - Double(first + 1)
            let w3 = (1.0 / 6.0) * w * w * w
            let w0 = (1.0 / 6.0) + 0.5 * w * (w - 1) - w3
            let w2 = w + w0 - 2 * w3
            let w1 = 1 - w0 - w2 - w3
            weight[a] = [w0, w1, w2, w3]
            let n = c.size[a]
            for k in 0..<4 {
                var i = first + k
                if n == 1 { i = 0 } else {
                    let period = 2 * n - 2
                    if i < 0 { i = -i }
                    if i >= n { i = i % period; if i >= n { i = period - i } }
                    if i < 0 { i = 0 }
                }
                index[a][k] = i
            }
        }
        var value = 0.0
        for kz in 0..<4 {
            let wz = weight[2][kz]
            for ky in 0..<4 {
                let wzy = wz * weight[1][ky]
                let row = c.size.x * (index[1][ky] + c.size.y * index[2][kz])
                for kx in 0..<4 {
                    value += wzy * weight[0][kx] * c.samples[row + index[0][kx]]
                }
            }
        }
        return value
    }
}
