// Speed figures for Reports (not a test; tests never assert on time):
//   one patient report (the example input), median of 10 renders;
//   the cohort documents for 2,400 patients with 1,000 bootstrap resamples.
// Usage: ReportsBenchmark [--out DIR] [--language en|zh]   (DIR keeps report.pdf and the cohort
// outputs to look at, in that language)
// Run from the package root: swift run -c release ReportsBenchmark --out /tmp/reports-bench
import Foundation
import Support
import Reports

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let t0 = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
}

let args = CommandLine.arguments
let out = args.firstIndex(of: "--out").map { args[$0 + 1] } ?? NSTemporaryDirectory() + "/her2mri-reports-bench"
try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
print("load average at start: \(load)")

let templates = try ReportTemplates.load(directory: nil, language: args.firstIndex(of: "--language").map { args[$0 + 1] })
let input = try PatientReportInput.example(templates: templates)
var pdf = Data()
_ = try seconds { pdf = try PatientReport.render(input, templates: templates) }   // warm-up (fontconfig)
var times = [Double]()
for _ in 0..<10 { times.append(try seconds { pdf = try PatientReport.render(input, templates: templates) }) }
times.sort()
try pdf.write(to: URL(fileURLWithPath: out + "/report.pdf"))
print(String(format: "patient report: median %.3f s, min %.3f s (%d bytes)", times[5], times[0], pdf.count))

// 2,400 patients, three models of increasing quality, seeded.
var rng = SplitMix64(seed: 2400)
var csv = "id,label,clinical,deep,combined\n"
for i in 0..<2400 {
    let y = (rng.unit() < 0.38) ? 1.0 : 0.0
    func p(_ sep: Double, _ noise: Double) -> Double { 1 / (1 + exp(-(-0.6 + sep * (y - 0.38) + noise * rng.normal()))) }
    csv += String(format: "P%05d,%d,%.6f,%.6f,%.6f\n", i, Int(y), p(1.2, 1.0), p(2.6, 1.0), p(3.0, 0.9))
}
let csvPath = out + "/predictions_2400.csv"
try csv.write(toFile: csvPath, atomically: true, encoding: .utf8)
var settings = CohortAnalysisSettings()
settings.bootstrapReplicates = 1000
let cohortOut = out + "/cohort"
try? FileManager.default.removeItem(atPath: cohortOut)
let clock0 = clock()
let tc = try seconds { _ = try CohortReport.run(predictions: csvPath, out: cohortOut, settings: settings, templates: templates) }
let cpu = Double(clock() - clock0) / Double(CLOCKS_PER_SEC)
print(String(format: "cohort report (2,400 patients, 3 models, 1,000 bootstraps): %.2f s wall, %.2f s CPU", tc, cpu))
// Where the time goes: the analysis (ROC, calibration with its bootstrap, DCA) and the drawing.
let table = try PredictionsTable.read(path: csvPath)
var analysis: CohortAnalysis?
let ta = try seconds { analysis = try CohortAnalysis(table, settings: settings) }
let tr = try seconds { _ = try CohortReport.render(analysis!, source: "predictions_2400.csv", templates: templates, creationDate: "2000-01-01T00:00:00Z") }
print(String(format: "  of which analysis %.2f s, drawing the PDFs %.2f s", ta, tr))
let loadEnd = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
print("load average at end: \(loadEnd)")
