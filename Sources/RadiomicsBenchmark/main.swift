import Foundation
import ImageIO
import Radiomics

// Times RadiomicsExtractor.extract on images already in memory (tools/radiomics/bench.py runs it
// beside pyradiomics); a program, not a test. Usage: RadiomicsBenchmark IMAGE MASK [REPEATS]
let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: RadiomicsBenchmark IMAGE.nii MASK.nii [REPEATS]\n".utf8))
    exit(64)
}
let repeats = arguments.count > 3 ? Int(arguments[3]) ?? 5 : 5
do {
    let image = try NIfTIReader.read(contentsOf: URL(fileURLWithPath: arguments[1]))
    let mask = try NIfTIReader.read(contentsOf: URL(fileURLWithPath: arguments[2]))
    let type = SampleType.stored(integerRange: image.header.datatype.integerRange,
                                 isFloat64: image.header.datatype == .float64, scaled: false)
    var best = Double.infinity
    var count = 0
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try RadiomicsExtractor.extract(image: image.volume, mask: mask.volume, sampleType: type)
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        count = result.features.count
    }
    print("{\"features\": \(count), \"seconds\": \(best)}")
} catch {
    FileHandle.standardError.write(Data("RadiomicsBenchmark: \(error)\n".utf8))
    exit(1)
}
