// biostat-bench: times the Biostatistics fast paths on data written by tools/biostat/bench.R,
// to print beside R's timings on the same data and machine (see tools/biostat/bench.sh).
// Usage: biostat-bench <folder with x.bin, y.txt, fold.txt, dims.txt>
// Not a test: it asserts nothing about time.
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

let args = CommandLine.arguments
guard args.count == 2 else {
    FileHandle.standardError.write(Data("usage: biostat-bench <folder>\n".utf8))
    exit(64)
}
let folder = args[1]
do {
    let dims = try readNumbers(folder + "/dims.txt").map { Int($0) }
    let n = dims[0], p = dims[1]
    let raw = try Data(contentsOf: URL(fileURLWithPath: folder + "/x.bin"))
    guard raw.count == n * p * 8 else { throw BiostatisticsError.invalidArgument("x.bin has \(raw.count) bytes, expected \(n * p * 8)") }
    let elements = raw.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
    let x = Matrix(rows: n, columns: p, elements: elements)
    let y = try readNumbers(folder + "/y.txt")
    let folds = try readNumbers(folder + "/fold.txt").map { Int($0) }
    var path: LassoPath?
    let c0 = cpuSeconds()
    let tPath = try seconds { path = try LassoLogistic().fit(x: x, outcome: y) }
    let cPath = cpuSeconds() - c0
    var cv: LassoCrossValidation?
    let c1 = cpuSeconds()
    let tCV = try seconds { cv = try LassoLogistic().crossValidate(x: x, outcome: y, folds: .given(folds)) }
    let cCV = cpuSeconds() - c1
    print(String(format: "swift  n=%d p=%d  path %.2f s (CPU %.2f s, %d lambdas)  cv %d folds %.2f s (CPU %.2f s)  lambda.min %.6g  lambda.1se %.6g",
                 n, p, tPath, cPath, path!.lambdas.count, folds.max()!, tCV, cCV, cv!.lambdaMin, cv!.lambda1se))
    // DeLong on 100,000 subjects.
    var state: UInt64 = 12345
    func uniform() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(UInt64(1) << 53)
    }
    let m = 100_000
    let labels = (0..<m).map { _ in uniform() < 0.4 ? 1.0 : 0.0 }
    let scores = labels.map { $0 + 1.5 * uniform() }
    var roc: ROCAnalysis?
    let tROC = try seconds { roc = try ROCAnalysis(scores: scores, labels: labels) }
    print(String(format: "swift  DeLong AUC + variance + CI + curve, n=%d: %.3f s (auc %.4f)", m, tROC, roc!.auc))
} catch {
    FileHandle.standardError.write(Data("biostat-bench: \(error)\n".utf8))
    exit(1)
}
