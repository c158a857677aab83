import Foundation

/// How a watcher runs: plain values with defaults (configure, then run).
///
/// The work folder holds `processing/` (claimed studies), `archive/` (inputs of reported
/// studies), `failed/` (inputs of refused studies, each with `error.txt`), `staging/` (outputs
/// being written) and `ledger.sqlite`.
public struct WatchSettings: Sendable {
    public var inbox: URL
    public var outbox: URL
    /// Defaults to the inbox's parent folder.
    public var work: URL
    /// The model every study is predicted with.
    public var model: URL
    /// Studies processed at once (each in its own child process).
    public var workers = 1
    /// A study without a `READY` file is taken once nothing in it changed for this long.
    public var settleSeconds = 10.0
    /// Process what is there and exit (cron, tests).
    public var once = false
    /// A study still running after this is stopped and counted as a transient failure.
    public var studyTimeoutSeconds = 600.0
    /// Attempts before a study that keeps failing transiently goes to `failed/`.
    public var maxAttempts = 3
    /// First retry delay; each further retry doubles it.
    public var retryDelaySeconds = 2.0
    /// Below this many free bytes in the work or outbox file system the watcher pauses.
    public var minimumFreeBytes: Int64 = 512 * 1024 * 1024
    /// How often the inbox is looked at when no file event arrives.
    public var pollSeconds = 2.0
    /// How often a running watcher looks for claims left by a dead watcher on the same inbox.
    public var staleCheckSeconds = 30.0
    /// On shutdown, how long a study in hand may take before its claim is released.
    public var shutdownGraceSeconds = 30.0
    /// The program that turns one study into outputs: `{study}`, `{out}`, `{model}` and
    /// `{threads}` (the worker's share of the cores, `threadsPerWorker`) are replaced. Default:
    /// this executable's `predict … --threads {threads}`.
    public var command: [String]

    /// Each worker's share of the cores: the active cores divided among the workers, at least 1.
    /// Two studies whose networks each run an OpenMP team as wide as the machine would
    /// oversubscribe the cores (and their teams spin waiting for each other's threads).
    public var threadsPerWorker: Int { max(1, ProcessInfo.processInfo.activeProcessorCount / max(1, workers)) }

    public init(inbox: URL, outbox: URL, model: URL, work: URL? = nil, command: [String]? = nil) {
        self.inbox = inbox.standardizedFileURL
        self.outbox = outbox.standardizedFileURL
        self.work = (work ?? inbox.standardizedFileURL.deletingLastPathComponent()).standardizedFileURL
        self.model = model.standardizedFileURL
        self.command = command ?? [WatchSettings.currentExecutable, "predict", "{study}", "--model", "{model}", "--out", "{out}",
                                   "--threads", "{threads}"]
    }

    /// The running executable (so the watcher's child runs the same build).
    public static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    var processing: URL { work.appendingPathComponent("processing") }
    var archive: URL { work.appendingPathComponent("archive") }
    var failed: URL { work.appendingPathComponent("failed") }
    var staging: URL { work.appendingPathComponent("staging") }
    var ledgerFile: URL { work.appendingPathComponent("ledger.sqlite") }
}
