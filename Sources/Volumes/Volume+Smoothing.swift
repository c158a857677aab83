import Foundation

/// Gaussian smoothing with σ given in millimetres, separable along i, j and k.
///
/// The kernel is the sampled Gaussian exp(−x²/2σ²) at voxel centres, truncated at 3σ and
/// normalised to sum 1 (ITK's DiscreteGaussianImageFilter with maximum error ≈ 0.01 and
/// `UseImageSpacing` on). Edges repeat the border voxel (zero-flux Neumann, as ITK). Axes whose
/// σ is under a tenth of a voxel are left alone. Every phase of a 4-D volume is smoothed alone.
extension Volume {
    /// This volume smoothed by a Gaussian of standard deviation `sigmaMm` (≤ 0: a copy).
    public func smoothed(sigmaMm: Double, threads: Int = 0) -> Volume {
        smoothed(sigmaMm: SIMD3(repeating: sigmaMm), threads: threads)
    }

    /// This volume smoothed by a Gaussian of standard deviation `sigmaMm[a]` along voxel axis a.
    public func smoothed(sigmaMm: SIMD3<Double>, threads: Int = 0) -> Volume {
        guard sigmaMm.max() > 0 else { return self }
        var out = self
        let nx = size.x, ny = size.y, nz = size.z
        let n = voxelsPerPhase
        var scratch = [Float](repeating: 0, count: n)
        for axis in 0..<3 {
            let sigmaVoxels = sigmaMm[axis] / geometry.spacing[axis]
            guard sigmaVoxels >= 0.1, size[axis] > 1 else { continue }
            let kernel = Volume.gaussianKernel(sigmaVoxels: sigmaVoxels)
            for t in 0..<phases {
                out.samples.withUnsafeMutableBufferPointer { all in
                    scratch.withUnsafeMutableBufferPointer { tmp in
                        let src = SharedBuffer(all.baseAddress! + t * n), dst = SharedBuffer(tmp.baseAddress!)
                        Volume.convolve(src: src, dst: dst, nx: nx, ny: ny, nz: nz, axis: axis, kernel: kernel, threads: threads)
                        (all.baseAddress! + t * n).update(from: tmp.baseAddress!, count: n)
                    }
                }
            }
        }
        return out
    }

    /// Normalised sampled Gaussian, radius ⌈3σ⌉ voxels.
    static func gaussianKernel(sigmaVoxels s: Double) -> [Float] {
        let r = max(1, Int((3 * s).rounded(.up)))
        var k = (-r...r).map { exp(-Double($0 * $0) / (2 * s * s)) }
        let total = k.reduce(0, +)
        k = k.map { $0 / total }
        return k.map(Float.init)
    }

    /// One separable pass along `axis`, clamped at the edges; rows are the unit of work so the
    /// inner loops run over contiguous i and vectorise.
    static func convolve(src: SharedBuffer<Float>, dst: SharedBuffer<Float>, nx: Int, ny: Int, nz: Int,
                         axis: Int, kernel: [Float], threads: Int) {
        let r = kernel.count / 2
        ConcurrentChunks.run(count: nz, chunks: ConcurrentChunks.resolve(threads) * 4, threads: threads) { _, slices in
            var padded = [Float](repeating: 0, count: nx + 2 * r)
            kernel.withUnsafeBufferPointer { w in
                for k in slices {
                    for j in 0..<ny {
                        let row = dst.base + nx * (j + ny * k)
                        switch axis {
                        case 0:
                            let input = src.base + nx * (j + ny * k)
                            for p in 0..<(nx + 2 * r) { padded[p] = input[min(nx - 1, max(0, p - r))] }
                            padded.withUnsafeBufferPointer { pad in
                                for i in 0..<nx { row[i] = 0 }
                                for tap in 0..<(2 * r + 1) {
                                    let wt = w[tap], base = pad.baseAddress! + tap
                                    for i in 0..<nx { row[i] += wt * base[i] }
                                }
                            }
                        default:
                            for i in 0..<nx { row[i] = 0 }
                            for tap in 0..<(2 * r + 1) {
                                let wt = w[tap]
                                let input: UnsafeMutablePointer<Float>
                                if axis == 1 {
                                    input = src.base + nx * (min(ny - 1, max(0, j + tap - r)) + ny * k)
                                } else {
                                    input = src.base + nx * (j + ny * min(nz - 1, max(0, k + tap - r)))
                                }
                                for i in 0..<nx { row[i] += wt * input[i] }
                            }
                        }
                    }
                }
            }
        }
    }
}
