import Foundation

/// One child process started with `posix_spawn`, for the study command. Not Foundation's
/// `Process`: on Linux each `Process` stays allocated after its child ends (heaptrack over 600
/// studies: ~2.4 kB a study, with its URL, file handle and run-loop source), and a watcher runs
/// for months. The child gets the default signal dispositions and an empty signal mask (the
/// watcher's service machinery blocks SIGTERM/SIGINT in the parent), standard input and output
/// on /dev/null, and standard error in `log`.
final class WorkerProcess: @unchecked Sendable {
    let pid: pid_t
    /// Guards `pid` against reuse: true once the child has ended (before it is reaped).
    private let ended = NSLock()
    private var hasEnded = false

    private init(pid: pid_t) { self.pid = pid }

    /// Starts `arguments[0]` with `arguments` and this process's environment plus the variables
    /// of `addingEnvironment` it does not set; throws a description when it cannot be started.
    static func spawn(_ arguments: [String], log: URL, addingEnvironment extra: [String: String] = [:]) throws -> WorkerProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, log.path, O_WRONLY | O_CREAT | O_TRUNC, 0o640)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), defaults = sigset_t()
        sigemptyset(&none)
        sigemptyset(&defaults)
        for s in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let cArguments = arguments.map { strdup($0) } + [nil]
        let environment = ProcessInfo.processInfo.environment.merging(extra) { own, _ in own }
        let cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for a in cArguments + cEnvironment { free(a) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, arguments[0], &actions, &attributes, cArguments, cEnvironment)
        guard code == 0 else { throw DropFolderError.folder(path: arguments[0], reason: "cannot be started (\(String(cString: strerror(code))))") }
        return WorkerProcess(pid: pid)
    }

    /// Waits (on a dispatch thread, not the caller's) until the child ends; returns its exit
    /// code, or the signal that ended it.
    func wait() async -> (code: Int32, signal: Int32?) {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                // Wait without reaping, mark it ended, then reap: `signal` can never reach
                // another process that got the same pid.
                var info = siginfo_t()
                while waitid(P_PID, id_t(self.pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR {}
                self.ended.withLock { self.hasEnded = true }
                var status: Int32 = 0
                while waitpid(self.pid, &status, 0) < 0 && errno == EINTR {}
                let signalled = (status & 0x7f) != 0 && (status & 0x7f) != 0x7f
                continuation.resume(returning: signalled ? (-1, status & 0x7f) : ((status >> 8) & 0xff, nil))
            }
        }
    }

    /// Sends `signal` unless the child has already ended.
    func signal(_ signal: Int32) {
        ended.withLock { if !hasEnded { _ = kill(pid, signal) } }
    }

    var isRunning: Bool { ended.withLock { !hasEnded } }
}
