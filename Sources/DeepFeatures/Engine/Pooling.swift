/// Max, adaptive-average and global-average pooling on NHWC tensors (plain loops: they are
/// memory-bound, and the channel loop is contiguous so the compiler vectorises it).
public enum Pooling {
    /// Max pooling with a square window, PyTorch's `MaxPool2d(kernel, stride, padding)`:
    /// padded positions count as −∞, output size floor((H + 2p − k)/s) + 1.
    public static func maxPool(_ x: Tensor, kernel k: Int, stride s: Int, padding p: Int, threads: Int) -> Tensor {
        let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let oh = (h + 2 * p - k) / s + 1, ow = (w + 2 * p - k) / s + 1
        var out = Tensor(zeros: [n, oh, ow, c])
        x.storage.withUnsafeBufferPointer { src in
            out.storage.withUnsafeMutableBufferPointer { dstBuffer in
                let dst = UncheckedBox(dstBuffer.baseAddress!)
                Parallel.forEachChunk(count: n * oh, threads: threads) { rows in
                    for row in rows {
                        let b = row / oh, y = row % oh
                        for xo in 0..<ow {
                            let d = dst.value + ((b * oh + y) * ow + xo) * c
                            for ch in 0..<c { d[ch] = -Float.infinity }
                            for ky in 0..<k {
                                let iy = y * s - p + ky
                                if iy < 0 || iy >= h { continue }
                                for kx in 0..<k {
                                    let ix = xo * s - p + kx
                                    if ix < 0 || ix >= w { continue }
                                    let base = ((b * h + iy) * w + ix) * c
                                    for ch in 0..<c { d[ch] = max(d[ch], src[base + ch]) }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// PyTorch's `AdaptiveAvgPool2d((oh, ow))`: output cell i averages input rows
    /// floor(i·H/oh) ..< ceil((i+1)·H/oh) (and likewise for columns).
    public static func adaptiveAveragePool(_ x: Tensor, outH oh: Int, outW ow: Int) -> Tensor {
        let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        if h == oh && w == ow { return x }
        var out = Tensor(zeros: [n, oh, ow, c])
        for b in 0..<n {
            for y in 0..<oh {
                let y0 = (y * h) / oh, y1 = ((y + 1) * h + oh - 1) / oh
                for xo in 0..<ow {
                    let x0 = (xo * w) / ow, x1 = ((xo + 1) * w + ow - 1) / ow
                    let d = ((b * oh + y) * ow + xo) * c
                    for iy in y0..<y1 {
                        for ix in x0..<x1 {
                            let base = ((b * h + iy) * w + ix) * c
                            for ch in 0..<c { out.storage[d + ch] += x.storage[base + ch] }
                        }
                    }
                    let scale = 1 / Float((y1 - y0) * (x1 - x0))
                    for ch in 0..<c { out.storage[d + ch] *= scale }
                }
            }
        }
        return out
    }

    /// Global average pooling, (N, H, W, C) → (N, C), summed in double precision; images in
    /// parallel.
    public static func globalAverage(_ x: Tensor, threads: Int = 1) -> Tensor {
        let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        var out = Tensor(zeros: [n, c])
        x.storage.withUnsafeBufferPointer { src in
            out.storage.withUnsafeMutableBufferPointer { dstBuffer in
                let dst = UncheckedBox(dstBuffer.baseAddress!)
                Parallel.forEachChunk(count: n, threads: threads) { images in
                    var acc = [Double](repeating: 0, count: c)
                    for b in images {
                        for ch in 0..<c { acc[ch] = 0 }
                        for i in 0..<(h * w) {
                            let base = (b * h * w + i) * c
                            for ch in 0..<c { acc[ch] += Double(src[base + ch]) }
                        }
                        for ch in 0..<c { dst.value[b * c + ch] = Float(acc[ch] / Double(h * w)) }
                    }
                }
            }
        }
        return out
    }
}
