/// torchvision's ImageNet input conventions for a 2-D float patch: the grey patch becomes three
/// equal channels, is resized with `resize(…, BILINEAR, antialias=True)` and normalised with
/// the ImageNet mean and standard deviation.
///
/// The resize is PyTorch's separable antialiased interpolation (`_upsample_bilinear2d_aa`, the
/// Pillow algorithm): for output index i, scale s = in/out, centre c = s·(i + ½), support
/// r = s (downsampling) or 1 (upsampling); taps j ∈ [⌊c − r + ½⌋, ⌊c + r + ½⌋) clipped to the
/// image, weights the triangle 1 − |(j − c + ½)/max(s, 1)|, normalised to sum 1.
/// Width is filtered first, then height.
public enum ImagePreprocessing {
    /// ImageNet channel means (R, G, B) used by torchvision's pretrained models.
    public static let imageNetMean: [Float] = [0.485, 0.456, 0.406]
    /// ImageNet channel standard deviations.
    public static let imageNetStd: [Float] = [0.229, 0.224, 0.225]

    /// Taps and weights of a 1-D antialiased bilinear resize from `input` to `output` samples,
    /// computed in float32 as PyTorch does (its weights differ from double-precision ones by ~1e-6).
    static func weights(input: Int, output: Int) -> [(start: Int, weights: [Float])] {
        let scale = Float(input) / Float(output)
        let support: Float = scale >= 1 ? scale : 1
        let invScale: Float = scale >= 1 ? 1 / scale : 1
        return (0..<output).map { i in
            let center = scale * (Float(i) + 0.5)
            let lo = max(Int(center - support + 0.5), 0)
            let hi = min(Int(center + support + 0.5), input)
            var w = (lo..<hi).map { j -> Float in
                let x = abs((Float(j) - center + 0.5) * invScale)
                return x < 1 ? 1 - x : 0
            }
            let total = w.reduce(0, +)
            if total != 0 { w = w.map { $0 / total } }
            return (lo, w)
        }
    }

    /// Resizes a row-major `height` × `width` plane to `outHeight` × `outWidth` (width pass first).
    public static func resize(_ plane: [Float], height: Int, width: Int, outHeight: Int, outWidth: Int) -> [Float] {
        precondition(plane.count == height * width && outHeight > 0 && outWidth > 0)
        let wx = weights(input: width, output: outWidth), wy = weights(input: height, output: outHeight)
        var horizontal = [Float](repeating: 0, count: height * outWidth)
        for y in 0..<height {
            for (x, tap) in wx.enumerated() {
                var s: Float = 0
                for (k, w) in tap.weights.enumerated() { s += w * plane[y * width + tap.start + k] }
                horizontal[y * outWidth + x] = s
            }
        }
        var out = [Float](repeating: 0, count: outHeight * outWidth)
        for (y, tap) in wy.enumerated() {
            for x in 0..<outWidth {
                var s: Float = 0
                for (k, w) in tap.weights.enumerated() { s += w * horizontal[(tap.start + k) * outWidth + x] }
                out[y * outWidth + x] = s
            }
        }
        return out
    }

    /// A network input (1, 3, outHeight, outWidth), NCHW, from a grey patch with values on the
    /// [0, 1] scale of torchvision's `ToTensor`: resize, replicate to R, G, B, normalise
    /// (x − mean)/std per channel.
    public static func imageNetInput(patch: [Float], height: Int, width: Int, outHeight: Int = 224, outWidth: Int = 224) throws -> Tensor {
        guard height > 0, width > 0, patch.count == height * width else {
            throw DeepFeaturesError.badInput(file: "patch", detail: "\(patch.count) values for \(height)×\(width)")
        }
        guard patch.allSatisfy(\.isFinite) else {
            throw DeepFeaturesError.badInput(file: "patch", detail: "non-finite values")
        }
        let resized = resize(patch, height: height, width: width, outHeight: outHeight, outWidth: outWidth)
        var storage: [Float] = []
        storage.reserveCapacity(3 * resized.count)
        for c in 0..<3 {
            storage.append(contentsOf: resized.map { ($0 - imageNetMean[c]) / imageNetStd[c] })
        }
        return Tensor(shape: [1, 3, outHeight, outWidth], storage: storage)
    }
}
