import Foundation
import Support
import LinearAlgebra

/// Throughput of a backbone on this machine: images per second and the GFLOP/s they imply
/// (FLOPs = 2 × multiply-adds of the convolutions and matrix products).
public struct Benchmark: Sendable {
    /// One measurement.
    public struct Result: Sendable, Codable {
        /// Backbone name.
        public let backbone: String
        /// Images per call.
        public let batch: Int
        /// oneDNN / our threads.
        public let threads: Int
        /// Images per second (median over repetitions).
        public let imagesPerSecond: Double
        /// GFLOP per image.
        public let gflopPerImage: Double
        /// Achieved GFLOP/s.
        public var gflops: Double { imagesPerSecond * gflopPerImage }

        enum CodingKeys: String, CodingKey { case backbone, batch, threads, imagesPerSecond, gflopPerImage }
    }

    /// Measures `backbone` (seeded weights; timing does not depend on their values) at each
    /// batch size and thread count: one warm-up call (creates the primitives), then repeated
    /// calls for at least `seconds`, the median time per call reported.
    public static func run(backbone: Backbone, layer: String? = nil, batches: [Int], threads: [Int],
                           seconds: Double = 3, backend: ComputeBackend = .oneDNN) throws -> [Result] {
        let extractor = try FeatureExtractor(backbone: backbone, layer: layer, weightsFile: nil)
        let gflop = 2 * Double(extractor.network.multiplyAdds(height: 224, width: 224)) / 1e9
        var results: [Result] = []
        for t in threads {
            for b in batches {
                var rng = SplitMix64(seed: 42)
                let images = Tensor(shape: [b, 224, 224, 3], storage: (0..<(b * 224 * 224 * 3)).map { _ in Float(rng.uniform(-2, 2)) })
                let options = InferenceOptions(backend: backend, threads: t)
                _ = try extractor.network.features(images, options: options)
                var times: [Double] = []
                let start = DispatchTime.now().uptimeNanoseconds
                repeat {
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    _ = try extractor.network.features(images, options: options)
                    times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
                } while Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 < seconds || times.count < 3
                let median = times.sorted()[times.count / 2]
                results.append(Result(backbone: backbone.rawValue + (layer.map { ":\($0)" } ?? ""), batch: b, threads: t,
                                      imagesPerSecond: Double(b) / median, gflopPerImage: gflop))
            }
        }
        return results
    }
}
