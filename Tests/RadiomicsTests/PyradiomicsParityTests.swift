import Foundation
import Radiomics
import Testing

/// Every feature of pyradiomics' default classes equals pyradiomics' value (fixture made by
/// tools/radiomics/make_fixtures.py with pyradiomics 3.1.4) to 1e-6 relative, on real scanner
/// images with synthetic masks, synthetic tumours, a constant image and the IBSI phantom, with
/// the default settings and with bin width, bin count, resampling and normalisation changed.
@Suite("Radiomics — parity with pyradiomics")
struct PyradiomicsParityTests {
    /// |a − b| ≤ 1e-6 · max(|a|, |b|), or both tiny (≤ 1e-12: sums that cancel to rounding noise).
    static func close(_ a: Double, _ b: Double) -> Bool {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
        return abs(a - b) <= 1e-6 * max(abs(a), abs(b)) || max(abs(a), abs(b)) <= 1e-12
    }

    static let cases: [(String, String)] = {
        guard let reference = try? Fixtures.reference() else { return [] }
        return reference.flatMap { c, byParams in byParams.keys.map { (c, $0) } }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
    }()

    @Test("same feature names and values as pyradiomics", arguments: cases)
    func parity(caseName: String, params: String) throws {
        let expected = try #require(try Fixtures.reference()[caseName]?[params])
        let result = try Fixtures.extract(caseName, params: params)
        let ours = Dictionary(uniqueKeysWithValues: result.features.map { ($0.name, $0.value) })
        #expect(Set(ours.keys) == Set(expected.keys), "feature names differ: only ours \(Set(ours.keys).subtracting(expected.keys).sorted()), only pyradiomics \(Set(expected.keys).subtracting(ours.keys).sorted())")
        var mismatches: [String] = []
        for (name, reference) in expected.sorted(by: { $0.key < $1.key }) {
            guard let value = ours[name] else { continue }
            if !Self.close(value, reference ?? .nan) {
                mismatches.append("\(name): ours \(value), pyradiomics \(reference.map { "\($0)" } ?? "nan")")
            }
        }
        #expect(mismatches.isEmpty, "\(caseName) / \(params): \(mismatches.count) of \(expected.count) differ:\n\(mismatches.joined(separator: "\n"))")
        #expect(expected.count >= 100, "the reference should cover all 107 default features")
    }
}
