import ArgumentParser
import DeepFeatures
import Foundation
import Support

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Throughput of the deep-feature backbones (images/s, GFLOP/s) at each batch size and thread count.",
        discussion: "tools/deep_bench.py runs this beside PyTorch and ONNX Runtime and prints the ratios (make bench)."
    )

    @Option(help: "Backbones, comma-separated, or 'all'.")
    var backbone = BackboneList(argument: "all")!

    @Option(help: "Batch sizes, comma-separated.")
    var batches = "1,8"

    @Option(help: "Thread counts, comma-separated.")
    var threads = "1,2"

    @Option(help: "Seconds of repetitions per measurement.")
    var seconds = 3.0

    @Flag(help: "One JSON object per line.")
    var json = false

    func run() throws {
        AllocatorPolicy.keepFreedBuffers()
        let batchList = batches.split(separator: ",").compactMap { Int($0) }
        let threadList = threads.split(separator: ",").compactMap { Int($0) }
        for b in backbone.backbones {
            let results = try runReportingErrors {
                try Benchmark.run(backbone: b, batches: batchList, threads: threadList, seconds: seconds)
            }
            for r in results {
                if json {
                    print(String(decoding: try JSONEncoder().encode(r), as: UTF8.self))
                } else {
                    print(String(format: "%-24@ batch %2d threads %d  %8.2f img/s  %7.1f GFLOP/s", r.backbone as NSString, r.batch, r.threads, r.imagesPerSecond, r.gflops))
                }
            }
        }
    }
}
