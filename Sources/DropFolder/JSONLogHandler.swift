import Foundation
import Logging
import Support

/// swift-log handler writing one JSON object per line (`time`, `level`, `label`, `message`, then
/// the metadata keys), for log shippers and `jq`. Callers put study keys, never patient names
/// or IDs, in messages and metadata; `redacting` strings are a last guard for error texts.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let sink: LogSink

    public init(label: String, sink: LogSink) {
        self.label = label
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [(String, JSONValue)] = [
            ("time", .string(ISO8601DateFormatter.string(from: Date(), timeZone: .gmt, formatOptions: [.withInternetDateTime, .withFractionalSeconds]))),
            ("level", .string(event.level.rawValue)),
            ("label", .string(label)),
            ("message", .string("\(event.message)")),
        ]
        for (k, v) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }).sorted(by: { $0.key < $1.key }) {
            fields.append((k, .string("\(v)")))
        }
        sink.write(JSONValue.object(fields).serialized() + "\n")
    }
}

/// Where log lines go: standard error, or a file opened for appending (logrotate's
/// `copytruncate` keeps working).
public final class LogSink: @unchecked Sendable {
    private let handle: FileHandle
    private let lock = NSLock()

    public static let standardError = LogSink(handle: .standardError)

    public init(handle: FileHandle) { self.handle = handle }

    public convenience init(appendingTo url: URL) throws {
        if !FileManager.default.fileExists(atPath: url.path) {
            FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o640])
        }
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        self.init(handle: handle)
    }

    func write(_ line: String) {
        lock.withLock { handle.write(Data(line.utf8)) }
    }
}
