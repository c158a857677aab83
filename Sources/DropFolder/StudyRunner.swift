import Foundation
import Support

/// Runs the study command (by default `her2mri predict`) in a child process: a crash, a hang or
/// a memory peak of one study stays in that process, a timeout can stop it, and the watcher's
/// own memory stays flat.
struct StudyRunner: Sendable {
    enum Outcome: Sendable, Equatable {
        case succeeded
        /// The command refused the study (exit 1 or 64): retrying will not help.
        case refused(String)
        /// Worth another attempt: killed by a signal, timed out, or exit 75 (EX_TEMPFAIL).
        case transient(String)
    }

    let command: [String]
    let timeout: Double

    /// Runs the command for `study` writing into `out`; the child's standard error is kept in
    /// `log` for error.txt. `started` receives the child so shutdown can stop it.
    func run(study: URL, out: URL, model: URL, log: URL, started: @Sendable (Process) -> Void) async -> Outcome {
        let arguments = command.map {
            $0.replacingOccurrences(of: "{study}", with: study.path)
                .replacingOccurrences(of: "{out}", with: out.path)
                .replacingOccurrences(of: "{model}", with: model.path)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        FileManager.default.createFile(atPath: log.path, contents: nil)
        guard let errorHandle = try? FileHandle(forWritingTo: log) else { return .transient("cannot create \(log.path)") }
        defer { try? errorHandle.close() }
        process.standardError = errorHandle
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        var environment = ProcessInfo.processInfo.environment
        environment["HER2MRI_CHILD_OF_WATCHER"] = "1"
        process.environment = environment

        let timedOut = LockBox(false)
        // The timeout: a timer cancelled as soon as the study ends, so nothing (neither the timer
        // nor the Process it holds) outlives the study — a watcher's memory stays flat.
        let timer = DispatchSource.makeTimerSource(queue: .global())
        defer { timer.cancel() }
        let status: Int32 = await withCheckedContinuation { continuation in
            process.terminationHandler = { p in continuation.resume(returning: p.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(returning: -1)
                return
            }
            started(process)
            let pid = process.processIdentifier
            timer.schedule(deadline: .now() + timeout)
            timer.setEventHandler { [weak process] in
                guard let process, process.isRunning else { return }
                timedOut.withLock { $0 = true }
                // SIGKILL: the child inherits the watcher's blocked signal mask (see Watcher).
                kill(pid, SIGKILL)
            }
            timer.resume()
        }
        if status == -1 && !process.isRunning && process.processIdentifier == 0 {
            return .refused("cannot start \(arguments[0])")
        }
        let message = StudyRunner.lastLines(of: log)
        if timedOut.value { return .transient("the study took longer than \(Int(timeout)) s and was stopped") }
        if process.terminationReason == .uncaughtSignal {
            return .transient("the worker process ended by signal \(status)\(message.isEmpty ? "" : ": " + message)")
        }
        switch status {
        case 0: return .succeeded
        case 75: return .transient(message.isEmpty ? "temporary failure" : message)
        default: return .refused(message.isEmpty ? "the worker exited with code \(status)" : message)
        }
    }

    /// The last lines of the child's standard error, where it names the file and the fault.
    static func lastLines(of log: URL, count: Int = 8) -> String {
        guard let data = FileManager.default.contents(atPath: log.path) else { return "" }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").suffix(count)
        return lines.joined(separator: "\n")
    }
}
