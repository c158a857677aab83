import Foundation
import Logging
import ServiceLifecycle

/// Runs a watcher as the process's service: SIGTERM and SIGINT shut it down gracefully (the
/// studies in hand finish, or their claims are given back after the grace period), and the
/// process then exits normally.
public enum WatchService {
    public static func run(settings: WatchSettings, logger: Logger,
                           onStudyFinished: (@Sendable (String, Ledger.State) -> Void)? = nil) async throws {
        let watcher = try Watcher(settings: settings, logger: logger)
        watcher.onStudyFinished = onStudyFinished
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: watcher, successTerminationBehavior: .gracefullyShutdownGroup)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
    }

    /// A logger writing JSON lines to `file` (or standard error).
    public static func logger(file: URL?) throws -> Logger {
        let sink = try file.map { try LogSink(appendingTo: $0) } ?? LogSink.standardError
        return Logger(label: "her2mri.watch") { label in JSONLogHandler(label: label, sink: sink) }
    }
}
