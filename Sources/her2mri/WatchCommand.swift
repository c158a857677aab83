import ArgumentParser
import DropFolder
import Foundation

struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Watch a drop folder: every study dropped into the inbox becomes a report in the outbox, exactly once.",
        discussion: """
        A study is taken when it holds a READY file or nothing in it changed for --settle seconds; \
        it is claimed by an atomic rename into WORK/processing/, predicted in a child process, its \
        outputs renamed into OUTBOX/<study>/ (files 0640, folders 0750) and its inputs moved to \
        WORK/archive/. A refused study goes to WORK/failed/<study>/ with error.txt, inputs \
        untouched. WORK (default: the inbox's parent) also holds ledger.sqlite. SIGTERM or SIGINT \
        finish the studies in hand, then exit 0. Logs are JSON lines without patient names or IDs.
        """
    )

    @Option(help: "The drop folder.") var inbox: String
    @Option(help: "Where each study's outputs go.") var outbox: String
    @Option(help: "The model (model.json).") var model: String
    @Option(help: "Work folder (processing/, archive/, failed/, ledger); default: the inbox's parent.") var work: String?
    @Option(help: "Studies processed at once (each predict gets cores / N threads).") var workers = 1
    @Option(help: "Seconds without change before a study without READY is taken.") var settle = 10.0
    @Option(help: "Seconds after which one study is stopped and retried.") var timeout = 600.0
    @Option(help: "Seconds a study in hand may take after SIGTERM/SIGINT before its claim is given back.") var grace = 30.0
    @Option(help: "Append JSON log lines to this file (default: standard error).") var log: String?
    @Option(help: ArgumentHelp("Program run per study as PROGRAM STUDY OUT MODEL instead of `her2mri predict` (benchmarks).",
                               visibility: .hidden))
    var workerCommand: String?
    @Flag(help: "Process what is in the inbox, then exit.") var once = false

    func validate() throws {
        guard (1...64).contains(workers) else { throw ValidationError("--workers must be between 1 and 64") }
        guard settle >= 0, timeout > 0, grace >= 0 else { throw ValidationError("--settle and --grace must be ≥ 0 and --timeout > 0") }
    }

    func run() async throws {
        var settings = WatchSettings(inbox: URL(fileURLWithPath: inbox), outbox: URL(fileURLWithPath: outbox),
                                     model: URL(fileURLWithPath: model), work: work.map { URL(fileURLWithPath: $0) },
                                     command: workerCommand.map { [$0, "{study}", "{out}", "{model}"] })
        settings.workers = workers
        settings.settleSeconds = settle
        settings.studyTimeoutSeconds = timeout
        settings.once = once
        settings.shutdownGraceSeconds = grace
        let progress = ProgressLine()
        try await runReportingErrorsAsync {
            let logger = try WatchService.logger(file: log.map { URL(fileURLWithPath: $0) })
            try await WatchService.run(settings: settings, logger: logger) { _, state in progress.count(state) }
        }
        progress.finish()
    }
}

/// A one-line tally on an interactive terminal; silent under a service manager or a pipe.
final class ProgressLine: @unchecked Sendable {
    private var counts: [Ledger.State: Int] = [:]
    private let lock = NSLock()
    private let enabled = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["INVOCATION_ID"] == nil

    func count(_ state: Ledger.State) {
        guard enabled else { return }
        lock.withLock {
            counts[state, default: 0] += 1
            let line = Ledger.State.allCases.filter { $0 != .processing }.map { "\($0.rawValue) \(counts[$0] ?? 0)" }.joined(separator: "  ")
            FileHandle.standardOutput.write(Data("\r\(line)\u{1B}[K".utf8))
        }
    }

    func finish() { if enabled && !counts.isEmpty { print("") } }
}
