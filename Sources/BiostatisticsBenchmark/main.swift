// biostat-bench: times the Biostatistics fast paths on data written by tools/biostat/bench.R,
// to print beside R's timings on the same data and machine (see tools/biostat/bench.sh).
// Usage: BiostatisticsBenchmark <folder with x.bin, y.txt, fold.txt, dims.txt> [--threads N] [--roc]
// Prints "key=value" lines: "swift path …" (one LASSO path), "swift cv …" (the path plus one per
// fold, `threads` at a time, as `her2mri stats lasso --fold-column` runs it) and, with --roc,
// DeLong on 100,000 subjects. Not a test: it asserts nothing about time.
import Biostatistics
import Foundation
import LinearAlgebra

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let t0 = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
}

/// CPU seconds used by this process so far (user + system), to compare on a shared machine.
func cpuSeconds() -> Double {
    var u = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u)
    return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
}

func readNumbers(_ path: String) throws -> [Double] {
    try String(contentsOfFile: path, encoding: .utf8).split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
}

var args = Array(CommandLine.arguments.dropFirst())
var threads: Int? = nil
var roc = false
if let i = args.firstIndex(of: "--threads"), i + 1 < args.count, let t = Int(args[i + 1]) { threads = t; args.removeSubrange(i...(i + 1)) }
if let i = args.firstIndex(of: "--roc") { roc = true; args.remove(at: i) }
guard args.count == 1 else {
    FileHandle.standardError.write(Data("usage: BiostatisticsBenchmark <folder> [--threads N] [--roc]\n".utf8))
    exit(64)
}
let folder = args[0]
do {
    let dims = try readNumbers(folder + "/dims.txt").map { Int($0) }
    let n = dims[0], p = dims[1]
    let raw = try Data(contentsOf: URL(fileURLWithPath: folder + "/x.bin"))
    guard raw.count == n * p * 8 else { throw BiostatisticsError.invalidArgument("x.bin has \(raw.count) bytes, expected \(n * p * 8)") }
    let elements = raw.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
    let x = Matrix(rows: n, columns: p, elements: elements)
    let y = try readNumbers(folder + "/y.txt")
    let folds = try readNumbers(folder + "/fold.txt").map { Int($0) }
    var settings = LassoLogisticSettings()
    settings.threads = threads
    let lasso = LassoLogistic(settings: settings)
    var path: LassoPath?
    let c0 = cpuSeconds()
    let tPath = try seconds { path = try lasso.fit(x: x, outcome: y) }
    print(String(format: "swift path n=%d p=%d wall=%.3f cpu=%.3f lambdas=%d", n, p, tPath, cpuSeconds() - c0, path!.lambdas.count))
    var cv: LassoCrossValidation?
    let c1 = cpuSeconds()
    let tCV = try seconds { cv = try lasso.crossValidate(x: x, outcome: y, folds: .given(folds)) }
    print(String(format: "swift cv n=%d p=%d wall=%.3f cpu=%.3f lambdas=%d lambda.min=%.10g lambda.1se=%.10g threads=%@",
                 n, p, tCV, cpuSeconds() - c1, cv!.path.lambdas.count, cv!.lambdaMin, cv!.lambda1se,
                 threads.map(String.init) ?? "all"))
    if roc {
        // DeLong on 100,000 subjects.
        var state: UInt64 = 12345
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(UInt64(1) << 53)
        }
        let m = 100_000
        let labels = (0..<m).map { _ in uniform() < 0.4 ? 1.0 : 0.0 }
        let scores = labels.map { $0 + 1.5 * uniform() }
        var r: ROCAnalysis?
        let tROC = try seconds { r = try ROCAnalysis(scores: scores, labels: labels) }
        print(String(format: "swift roc n=%d wall=%.3f auc=%.4f", m, tROC, r!.auc))
    }
} catch {
    FileHandle.standardError.write(Data("biostat-bench: \(error)\n".utf8))
    exit(1)
}
