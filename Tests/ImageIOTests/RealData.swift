import Foundation
import Testing

/// Where the real scanner / toolkit files live: `../shared/realdata` beside the repository
/// (CI has it there too), or `HER2MRI_REALDATA` when set. Tests that need them use
/// `.enabled(if: RealData.available, RealData.skipReason)` so a missing folder is a printed skip.
enum RealData {
    static let root: URL = {
        if let env = ProcessInfo.processInfo.environment["HER2MRI_REALDATA"] {
            return URL(fileURLWithPath: env)
        }
        // This file is <repo>/Tests/ImageIOTests/RealData.swift.
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return repo.deletingLastPathComponent().appendingPathComponent("shared/realdata")
    }()

    static var available: Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent("reference").path)
    }

    static let skipReason: Comment = "skipped: ../shared/realdata is absent (set HER2MRI_REALDATA to its path)"

    static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    /// The pydicom / nibabel reference objects of `reference/<name>.json`.
    static func reference(_ name: String) throws -> [[String: Any]] {
        let data = try Data(contentsOf: url("reference/\(name).json"))
        return (try JSONSerialization.jsonObject(with: data) as? [[String: Any]]) ?? []
    }
}

extension RealData {
    /// The reference's position checks on one decoded array (../shared/realdata/README.md):
    /// all eleven `samples` (three on the diagonal, eight off it) and `position_checksum` =
    /// Σ value × ((n mod 1009) + 1) over the flat index n in C order of `shape` (last index
    /// fastest), NaN taken as 0 and counted in `nan_count`. A transposed, shifted or flipped
    /// array fails the checksum even where sums, extremes and the diagonal agree.
    /// `value` answers our value at an index in the reference's axis order; `relative` is the
    /// tolerance for samples and checksum (0 for integer data: exact). Returns the mismatches.
    static func positionMismatches(_ stats: [String: Any], relative: Double = 0, value: ([Int]) -> Double) -> [String] {
        guard let shape = stats["shape"] as? [Int], !shape.isEmpty else { return ["reference has no shape"] }
        guard let samples = stats["samples"] as? [[String: Any]] else { return ["reference has no samples"] }
        guard let checksum = (stats["position_checksum"] as? NSNumber)?.doubleValue,
              let nanCount = (stats["nan_count"] as? NSNumber)?.intValue else {
            return ["reference has no position_checksum / nan_count"]
        }
        func agree(_ a: Double, _ b: Double) -> Bool {
            a == b || (a.isNaN && b.isNaN) || abs(a - b) <= relative * max(abs(a), abs(b))
        }
        var bad: [String] = []
        if samples.count != 11 { bad.append("reference has \(samples.count) samples, expected 11") }
        for sample in samples {
            guard let index = sample["index"] as? [Int], index.count == shape.count,
                  zip(index, shape).allSatisfy({ $0 >= 0 && $0 < $1 }) else {
                bad.append("sample without a valid index: \(sample)"); continue
            }
            let theirs = (sample["value"] as? NSNumber)?.doubleValue ?? .nan
            let ours = value(index)
            if !agree(ours, theirs) { bad.append("sample \(index): ours \(ours), reference \(theirs)") }
        }
        var sum = 0.0, nans = 0, n = 0
        var index = [Int](repeating: 0, count: shape.count)
        let total = shape.reduce(1, *)
        while n < total {
            let v = value(index)
            if v.isNaN { nans += 1 } else { sum += v * Double(n % 1009 + 1) }
            n += 1
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < shape[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        if nans != nanCount { bad.append("nan_count: ours \(nans), reference \(nanCount)") }
        if !agree(sum, checksum) { bad.append("position_checksum: ours \(sum), reference \(checksum)") }
        return bad
    }
}
