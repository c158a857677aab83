import Foundation
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

extension Dictionary where Key == String, Value == Any {
    func d(_ k: String) -> Double { (self[k] as? NSNumber)?.doubleValue ?? .nan }
    func a(_ k: String) -> [Double] { (self[k] as? [Any])?.map { ($0 as? NSNumber)?.doubleValue ?? -.infinity } ?? [] }
    func o(_ k: String) -> [String: Any] { self[k] as? [String: Any] ?? [:] }
    func l(_ k: String) -> [[String: Any]] { self[k] as? [[String: Any]] ?? [] }
}

/// |a − b| ≤ tol·max(1, |b|): relative for large values, absolute near zero.
func close(_ a: Double, _ b: Double, _ tol: Double) -> Bool {
    if a == b { return true }
    return abs(a - b) <= tol * max(1, abs(b))
}
