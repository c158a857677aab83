import Foundation
import Testing

/// Paths and helpers shared by the Reports tests.
enum TestSupport {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func fixture(_ name: String) -> String { root.appendingPathComponent("fixtures/reports/\(name)").path }
    static func json(_ path: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
    }

    /// A fresh temporary folder.
    static func tempFolder(_ tag: String) throws -> URL {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("her2mri-reports-\(tag)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }

    /// The full path of a program on PATH, or nil.
    static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let p = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    /// Runs a program and returns (status, stdout + stderr).
    static func run(_ program: String, _ args: [String]) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

extension Dictionary where Key == String, Value == Any {
    func d(_ k: String) -> Double { (self[k] as? NSNumber)?.doubleValue ?? .nan }
    func a(_ k: String) -> [Double] { (self[k] as? [Any])?.map { ($0 as? NSNumber)?.doubleValue ?? .nan } ?? [] }
    func o(_ k: String) -> [String: Any] { self[k] as? [String: Any] ?? [:] }
}

/// |a − b| ≤ tol·max(1, |b|).
func close(_ a: Double, _ b: Double, _ tol: Double) -> Bool { a == b || abs(a - b) <= tol * max(1, abs(b)) }
