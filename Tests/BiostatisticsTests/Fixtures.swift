import Foundation
import Testing
@testable import Biostatistics

/// Reads the committed reference fixtures (made by tools/biostat/make_fixtures.{R,py}).
enum Fixtures {
    static let folder: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures/biostatistics")

    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    static func table(_ name: String) throws -> DataTable { try DataTable.read(path: path(name)) }

    static func json(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: folder.appendingPathComponent(name))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }
}

/// Fixture accessors. A key that is missing or of the wrong type is a recorded test failure
/// (it used to read as `[]`, `[:]` or NaN, so a loop over it compared nothing and passed).
extension Dictionary where Key == String, Value == Any {
    func d(_ k: String, sourceLocation: SourceLocation = #_sourceLocation) -> Double {
        guard let v = self[k] as? NSNumber else {
            Issue.record("fixture key \"\(k)\" is missing or not a number", sourceLocation: sourceLocation)
            return .nan
        }
        return v.doubleValue
    }

    /// A numeric array; a JSON null element reads as −∞ (so it cannot equal a finite value).
    func a(_ k: String, sourceLocation: SourceLocation = #_sourceLocation) -> [Double] {
        guard let v = self[k] as? [Any] else {
            Issue.record("fixture key \"\(k)\" is missing or not an array", sourceLocation: sourceLocation)
            return []
        }
        return v.map { ($0 as? NSNumber)?.doubleValue ?? -.infinity }
    }

    func o(_ k: String, sourceLocation: SourceLocation = #_sourceLocation) -> [String: Any] {
        guard let v = self[k] as? [String: Any] else {
            Issue.record("fixture key \"\(k)\" is missing or not an object", sourceLocation: sourceLocation)
            return [:]
        }
        return v
    }

    func l(_ k: String, sourceLocation: SourceLocation = #_sourceLocation) -> [[String: Any]] {
        guard let v = self[k] as? [[String: Any]] else {
            Issue.record("fixture key \"\(k)\" is missing or not a list of objects", sourceLocation: sourceLocation)
            return []
        }
        return v
    }
}

/// `zip(ours, reference)` for an element-wise comparison, after checking that both sides have
/// the same, non-zero length: a short or empty side is a recorded failure, not a loop that
/// compares nothing.
func paired<A: Collection, B: Collection>(_ ours: A, _ reference: B, _ what: String = "",
                                          sourceLocation: SourceLocation = #_sourceLocation) -> Zip2Sequence<A, B> {
    if ours.count != reference.count || reference.isEmpty {
        Issue.record("\(what): \(ours.count) values against \(reference.count) in the reference", sourceLocation: sourceLocation)
    }
    return zip(ours, reference)
}

/// |a − b| ≤ tol·max(1, |b|): relative for large values, absolute near zero.
func close(_ a: Double, _ b: Double, _ tol: Double) -> Bool {
    if a == b { return true }
    return abs(a - b) <= tol * max(1, abs(b))
}
