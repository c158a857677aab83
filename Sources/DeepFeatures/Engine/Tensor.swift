/// A dense float32 tensor: a shape and its elements in row-major order.
///
/// Convention of this room: images are **NHWC** (batch, height, width, channels) from the
/// first convolution on, so channels are contiguous — the layout oneDNN's fastest
/// convolutions want. Token sequences are (batch, tokens, features). PyTorch's NCHW appears
/// only at the edges (the `.npy` input and the weight files) and is converted there.
public struct Tensor: Sendable, Equatable {
    /// Extent of each dimension, outermost first.
    public var shape: [Int]
    /// Elements in row-major order of `shape`.
    public var storage: [Float]

    /// A tensor with the given elements; `storage.count` must equal the product of `shape`.
    public init(shape: [Int], storage: [Float]) {
        precondition(shape.reduce(1, *) == storage.count, "Tensor: \(shape) does not hold \(storage.count) elements")
        self.shape = shape
        self.storage = storage
    }

    /// A tensor of zeros.
    public init(zeros shape: [Int]) {
        self.init(shape: shape, storage: [Float](repeating: 0, count: shape.reduce(1, *)))
    }

    /// Number of elements.
    public var count: Int { storage.count }

    /// The same elements seen with another shape of equal size.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, storage: storage)
    }

    /// NCHW (PyTorch's image layout) to NHWC (this room's).
    public static func fromNCHW(_ x: Tensor) -> Tensor {
        precondition(x.shape.count == 4)
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        var out = [Float](repeating: 0, count: x.count)
        x.storage.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for b in 0..<n {
                    for ch in 0..<c {
                        for y in 0..<h {
                            let s = ((b * c + ch) * h + y) * w
                            let d = (b * h + y) * w * c + ch
                            for xx in 0..<w { dst[d + xx * c] = src[s + xx] }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [n, h, w, c], storage: out)
    }
}
