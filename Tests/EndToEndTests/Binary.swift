import Foundation
import Testing

/// Runs the built `her2mri` executable (built beside the test bundle because this test target
/// depends on it) and captures what it prints.
enum Binary {
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let url: URL = {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("her2mri")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        for config in ["release", "debug"] {
            let u = repository.appendingPathComponent(".build/\(config)/her2mri")
            if FileManager.default.isExecutableFile(atPath: u.path) { return u }
        }
        return beside
    }()

    /// Runs `her2mri args…` (or another program) and waits for it.
    static func run(_ arguments: [String], executable: URL = Binary.url, in directory: URL? = nil) throws -> Run {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes concurrently with the process so a large output cannot block it.
        let outData = Locked(Data()), errData = Locked(Data())
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { outData.set(out.fileHandleForReading.readDataToEndOfFile()) }
        DispatchQueue.global().async(group: group) { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        process.waitUntilExit()
        group.wait()
        return Run(status: process.terminationStatus,
                   stdout: String(decoding: outData.get(), as: UTF8.self),
                   stderr: String(decoding: errData.get(), as: UTF8.self))
    }

    static func temporaryFolder(_ name: String) -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("her2mri-e2e-\(ProcessInfo.processInfo.processIdentifier)-\(name)")
        try? FileManager.default.removeItem(at: url)
        return url
    }
}

/// A value shared between threads under a lock.
final class Locked<T>: @unchecked Sendable {
    private var value: T
    private let lock = NSLock()
    init(_ value: T) { self.value = value }
    func get() -> T { lock.withLock { value } }
    func set(_ v: T) { lock.withLock { value = v } }
    func update(_ change: (inout T) -> Void) { lock.withLock { change(&value) } }
}
