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
    /// Replaces `{threads}` in the command.
    let threads: Int
    /// Added to the child's environment unless the watcher's own sets the variable.
    static let childEnvironment = [
        // Threads of a finished OpenMP region sleep instead of spinning: with a worker per core,
        // a spinning thread takes the core from the other study (libgomp's OMP_WAIT_POLICY).
        "OMP_WAIT_POLICY": "PASSIVE",
    ]

    /// Runs the command for `study` writing into `out`; the child's standard error is kept in
    /// `log` for error.txt. `started` receives the child so shutdown can stop it.
    func run(study: URL, out: URL, model: URL, log: URL, started: @Sendable (WorkerProcess) -> Void) async -> Outcome {
        let arguments = command.map {
            $0.replacingOccurrences(of: "{study}", with: study.path)
                .replacingOccurrences(of: "{out}", with: out.path)
                .replacingOccurrences(of: "{model}", with: model.path)
                .replacingOccurrences(of: "{threads}", with: String(threads))
        }
        let worker: WorkerProcess
        do { worker = try WorkerProcess.spawn(arguments, log: log, addingEnvironment: StudyRunner.childEnvironment) } catch {
            return .refused("\(error)")
        }
        started(worker)
        // The timeout: a timer cancelled as soon as the study ends, so nothing outlives the study.
        let timedOut = LockBox(false)
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + timeout)
        timer.setEventHandler {
            guard worker.isRunning else { return }
            timedOut.withLock { $0 = true }
            worker.signal(SIGKILL)
        }
        timer.resume()
        let (code, signal) = await worker.wait()
        timer.cancel()
        let message = StudyRunner.lastLines(of: log)
        if timedOut.value { return .transient("the study took longer than \(Int(timeout)) s and was stopped") }
        if let signal {
            return .transient("the worker process ended by signal \(signal)\(message.isEmpty ? "" : ": " + message)")
        }
        switch code {
        case 0: return .succeeded
        case 75: return .transient(message.isEmpty ? "temporary failure" : message)
        default: return .refused(message.isEmpty ? "the worker exited with code \(code)" : message)
        }
    }

    /// The last lines of the child's standard error, where it names the file and the fault.
    /// Read with POSIX calls: `FileManager.contents(atPath:)` leaked a 4 kB buffer per call here
    /// (swift-corelibs-foundation, measured with heaptrack over 600 studies), and the watcher
    /// must run for months.
    static func lastLines(of log: URL, count: Int = 8) -> String {
        let fd = open(log.path, O_RDONLY)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            bytes += buffer[0..<n]
            if bytes.count > 262_144 { bytes.removeFirst(bytes.count - 65_536) }  // only the end matters
        }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").suffix(count)
        return lines.joined(separator: "\n")
    }
}
