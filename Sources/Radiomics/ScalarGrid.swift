import Volumes

/// A 3-D grid of double-precision samples with its geometry: the working copy of the image and
/// the mask inside the extractor (normalisation and resampling produce float64 values, as
/// SimpleITK's do, so the `Volume`'s float32 is too narrow after them).
struct ScalarGrid: Sendable {
    let size: SIMD3<Int>
    let geometry: Geometry
    var samples: [Double]

    init(size: SIMD3<Int>, geometry: Geometry, samples: [Double]) {
        precondition(samples.count == size.x * size.y * size.z)
        self.size = size
        self.geometry = geometry
        self.samples = samples
    }

    /// The first phase of a volume.
    init(_ volume: Volume) {
        let n = volume.size.x * volume.size.y * volume.size.z
        self.init(size: volume.size, geometry: volume.geometry, samples: volume.samples[0..<n].map(Double.init))
    }

    var count: Int { size.x * size.y * size.z }

    @inline(__always) func index(_ i: Int, _ j: Int, _ k: Int) -> Int { i + size.x * (j + size.y * k) }
}
