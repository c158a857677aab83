import Foundation
import HER2Model
import Logging
import ServiceLifecycle
import Support

/// `her2mri watch`: turns every study dropped into the inbox into outputs in the outbox, exactly
/// once, without losing one. A service with one `run()` (swift-service-lifecycle): a graceful
/// shutdown stops claiming, lets the studies in hand finish for `shutdownGraceSeconds`, then
/// stops their workers and gives their claims back to the inbox.
///
/// The life of a study: inbox/<name> (ready: a `READY` file, or nothing changed for the settle
/// time) → processing/<name> (the claim: an atomic rename) → the study command in a child
/// process writes into staging/ → outbox/<name> (one rename) → inputs to archive/<name>; or, when
/// the study is refused, inputs to failed/<name>/ with error.txt. The ledger records each step.
public final class Watcher: Service, @unchecked Sendable {
    public let settings: WatchSettings
    let ledger: Ledger
    let logger: Logger
    let events: InboxEvents
    let runner: StudyRunner
    private let owner: ClaimOwner
    private let salt: [UInt8]
    /// name → first seen snapshot and when (for the settle clock).
    private let seen = LockBox([String: (StudySnapshot, Double)]())
    /// Names in hand, and their worker processes.
    private let inHand = LockBox([String: WorkerProcess?]())
    private let stopping = LockBox(false)
    /// Names given back to the inbox because identical images were in hand elsewhere → not
    /// claimed again before this time.
    private let notBefore = LockBox([String: Double]())
    /// Called after each study (tests, the progress line).
    public var onStudyFinished: (@Sendable (String, Ledger.State) -> Void)?

    public init(settings: WatchSettings, logger: Logger) throws {
        self.settings = settings
        self.logger = logger
        // Outputs, ledger and logs carry patient data: nothing this process creates is for others.
        umask(0o027)
        try Watcher.prepareFolders(settings)
        ledger = try Ledger(file: settings.ledgerFile)
        events = InboxEvents(inbox: settings.inbox)
        runner = StudyRunner(command: settings.command, timeout: settings.studyTimeoutSeconds, threads: settings.threadsPerWorker)
        owner = ClaimOwner.current()
        salt = (try? StudyKey.installationSalt()) ?? Array("her2mri".utf8)
    }

    /// Checks and makes the folders: the inbox must exist; the outbox must not be writable by
    /// others (reports carry patient data); work folders are made 0750.
    static func prepareFolders(_ s: WatchSettings) throws {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: s.inbox.path, isDirectory: &isDir), isDir.boolValue else {
            throw DropFolderError.folder(path: s.inbox.path, reason: "the inbox does not exist or is not a folder")
        }
        guard fm.fileExists(atPath: s.model.path) else {
            throw DropFolderError.folder(path: s.model.path, reason: "the model file does not exist")
        }
        for folder in [s.outbox, s.work, s.processing, s.archive, s.failed, s.staging] {
            if !fm.fileExists(atPath: folder.path) {
                do {
                    try fm.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
                } catch {
                    throw DropFolderError.folder(path: folder.path, reason: "cannot be created (\(error.localizedDescription))")
                }
            }
        }
        var st = stat()
        guard stat(s.outbox.path, &st) == 0 else {
            throw DropFolderError.folder(path: s.outbox.path, reason: "cannot be examined")
        }
        if st.st_mode & S_IWOTH != 0 {
            throw DropFolderError.folder(path: s.outbox.path, reason: "others can write to the outbox (mode \(String(st.st_mode & 0o777, radix: 8))); reports carry patient data: chmod o-w it first")
        }
    }

    /// The name of a study in logs: a salted hash, never the folder name (which may hold a
    /// patient's name or ID).
    func key(_ name: String) -> String {
        "s-" + SHA256.hex(salt + Array(name.utf8)).prefix(12)
    }

    private var now: Double { Date().timeIntervalSince1970 }

    // MARK: - The loop

    public func run() async throws {
        logger.info("watcher started", metadata: ["workers": "\(settings.workers)", "once": "\(settings.once)",
                                                   "events": "\(events.isNotifying ? "inotify" : "polling")"])
        try recoverStaleClaims()
        try await withGracefulShutdownHandler {
            try await self.loop()
        } onGracefulShutdown: {
            self.stopping.withLock { $0 = true }
            self.logger.info("shutdown requested: finishing the studies in hand")
        }
        removeAbandonedTemporaryFiles(now: now)
        logger.info("watcher stopped")
    }

    private enum Event: Sendable { case finished(String), tick }

    private func loop() async throws {
        try await withThrowingTaskGroup(of: Event.self) { group in
            var ticking = false
            var deadline: Double?
            var lastRecovery = now
            while true {
                let shuttingDown = stopping.value
                // Claims of a watcher that died meanwhile (another process on this inbox) are
                // taken back without waiting for a restart.
                if !shuttingDown && now - lastRecovery >= settings.staleCheckSeconds {
                    lastRecovery = now
                    do { try recoverStaleClaims() } catch {
                        logger.error("stale claims could not be checked", metadata: ["error": "\(error)"])
                    }
                }
                if shuttingDown && deadline == nil { deadline = now + settings.shutdownGraceSeconds }
                if let deadline, now > deadline { stopWorkersInHand() }
                let running = inHand.value.count
                var waiting = false
                if !shuttingDown && running < settings.workers {
                    if hasRoom() {
                        let (ready, pending) = try readyStudies()
                        waiting = pending
                        for name in ready.prefix(settings.workers - running) {
                            guard let claim = try Claim.take(name, settings: settings, owner: owner) else { continue }
                            inHand.withLock { $0[name] = .some(nil) }
                            group.addTask { await self.process(claim); return .finished(name) }
                        }
                    } else {
                        waiting = true
                    }
                }
                let nowRunning = inHand.value.count
                if nowRunning == 0 && (shuttingDown || (settings.once && !waiting)) { break }
                if !ticking {
                    ticking = true
                    let pause = shuttingDown ? 0.2 : min(settings.pollSeconds, max(0.05, settings.settleSeconds / 4))
                    group.addTask { await self.tick(pause); return .tick }
                }
                if let event = try await group.next(), case .tick = event { ticking = false }
            }
            group.cancelAll()
        }
    }

    private func tick(_ seconds: Double) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                self.events.wait(seconds: seconds)
                c.resume()
            }
        }
    }

    /// Free space in the work and outbox file systems; below the minimum the watcher pauses.
    private func hasRoom() -> Bool {
        for folder in [settings.work, settings.outbox] {
            var fs = statvfs()
            guard statvfs(folder.path, &fs) == 0 else { continue }
            let free = Int64(fs.f_bavail) * Int64(fs.f_frsize)
            if free < settings.minimumFreeBytes {
                logger.warning("disk nearly full: pausing", metadata: ["folder": "\(folder.path)", "freeBytes": "\(free)"])
                return false
            }
        }
        return true
    }

    /// Study names ready to claim, and whether some are still settling. Unsafe entries are
    /// moved to failed/ at once.
    private func readyStudies() throws -> ([String], Bool) {
        var ready: [String] = []
        var pending = false
        let held = inHand.value
        let t0 = now
        let waitUntil = notBefore.withLock { table in
            table = table.filter { $0.value > t0 }  // expired ones go, also those of copies another watcher took
            return table
        }
        for entry in try InboxEntry.list(settings.inbox) {
            guard let name = entry.name, entry.isDirectory, !entry.isSymbolicLink else {
                quarantine(entry)
                continue
            }
            if held[name] != nil { continue }
            if waitUntil[name] != nil { pending = true; continue }
            let folder = settings.inbox.appendingPathComponent(name)
            let snapshot: StudySnapshot
            do {
                snapshot = try StudySnapshot.take(folder)
            } catch DropFolderError.unsafeStudy(_, let reason) {
                // Claim it first so no other watcher touches it, then refuse it.
                if let claim = try Claim.take(name, settings: settings, owner: owner) {
                    fail(claim, reason: reason, ledgerID: nil, attempts: 1)
                    claim.release(settings: settings)
                    seen.withLock { $0[name] = nil }
                }
                continue
            } catch {
                pending = true  // vanished or being written: look again
                continue
            }
            if snapshot.hasReadyMarker {
                ready.append(name)
                continue
            }
            let t = now
            let stable = seen.withLock { table -> Bool in
                if let (earlier, since) = table[name], earlier == snapshot {
                    return t - since >= settings.settleSeconds
                }
                table[name] = (snapshot, t)
                return false
            }
            if stable { ready.append(name) } else { pending = true }
        }
        return (ready, pending)
    }

    /// An inbox entry whose name or kind could lead outside the inbox: moved to failed/ under a
    /// safe name, with error.txt saying what it was.
    private func quarantine(_ entry: InboxEntry) {
        let safe = "unsafe-" + SHA256.hex(entry.rawName).prefix(12)
        let reason: String
        if entry.name == nil {
            reason = "the folder name \(entry.printableName) is unsafe: \(StudyName.problem(entry.rawName) ?? "")"
        } else if entry.isSymbolicLink {
            reason = "\(entry.printableName) is a symbolic link, not a study folder; copy the study in instead"
        } else {
            reason = "\(entry.printableName) is a file, not a study folder; put each study in its own folder"
        }
        let source = Array(settings.inbox.path.utf8) + [UInt8(ascii: "/")] + entry.rawName + [0]
        let target = uniqueDestination(settings.failed, safe)
        let moved = source.withUnsafeBufferPointer { p in
            p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: source.count) { rename($0, target.path) == 0 }
        }
        guard moved else { return }
        logger.error("refused an inbox entry", metadata: ["entry": "\(safe)", "reason": "unsafe name or kind"])
        let errorFile = entry.isDirectory && !entry.isSymbolicLink
            ? target.appendingPathComponent("error.txt")
            : settings.failed.appendingPathComponent(target.lastPathComponent + ".error.txt")
        try? AtomicFile.write(Watcher.errorText(study: entry.printableName, reason: reason, attempts: 0), to: errorFile, permissions: 0o640)
        _ = try? ledger.finish(id: ledger.claim(study: safe, contentHash: "", owner: owner.label, now: now),
                              state: .failed, now: now, seconds: 0, error: reason)
        onStudyFinished?(safe, .failed)
    }

    // MARK: - One study

    private func process(_ claim: Claim) async {
        let started = now
        let k = key(claim.name)
        defer {
            claim.release(settings: settings)
            inHand.withLock { $0[claim.name] = nil }
            seen.withLock { $0[claim.name] = nil }
        }
        let hash: String
        do {
            hash = try StudySnapshot.take(claim.folder).contentHash(in: claim.folder)
        } catch {
            fail(claim, reason: "\(error)", ledgerID: nil, attempts: 1)
            return
        }
        let id: Int64
        var attempts: Int
        do {
            switch try ledger.claim(study: claim.name, contentHash: hash, owner: owner.label, now: started,
                                    holderIsGone: { self.holderIsGone($0) }) {
            case .claimed(let row, let n):
                id = row
                attempts = n
            case .alreadyReported(let row):
                do {
                    try move(claim.folder, to: uniqueDestination(settings.archive, claim.name))
                    try ledger.finish(id: row, state: .duplicate, now: now, seconds: now - started,
                                      error: "the same images were already reported; not reported twice")
                } catch {
                    fail(claim, reason: "the same images were already reported, but this copy could not be archived: \(error)",
                         ledgerID: row, attempts: 1)
                    return
                }
                logger.notice("duplicate study not reported twice", metadata: ["study": "\(k)"])
                onStudyFinished?(claim.name, .duplicate)
                return
            case .inHand:
                // Identical images under another claim (dropped twice at once): this copy waits in
                // the inbox and, once the other is reported, ends as a duplicate.
                let back = uniqueDestination(settings.inbox, claim.name)
                do { try move(claim.folder, to: back) } catch {
                    // Left in processing/ without an owner: the stale-claim recovery returns it.
                    logger.critical("a claim could not be given back", metadata: ["study": "\(k)", "error": "\(error)"])
                    return
                }
                notBefore.withLock { $0[back.lastPathComponent] = now + settings.retryDelaySeconds }
                logger.notice("the same images are in hand under another claim; retried later", metadata: ["study": "\(k)"])
                return
            }
        } catch {
            logger.error("ledger unavailable; the study stays claimed for a later run", metadata: ["study": "\(k)", "error": "\(error)"])
            return
        }
        logger.info("study claimed", metadata: ["study": "\(k)", "attempt": "\(attempts)"])
        var delay = settings.retryDelaySeconds
        while true {
            let staging = settings.staging.appendingPathComponent("\(claim.name)-\(UUID().uuidString.prefix(8))")
            let out = staging.appendingPathComponent("out")
            do {
                try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
            } catch {
                logger.error("cannot make a staging folder", metadata: ["error": "\(error)"])
            }
            let outcome = await runner.run(study: claim.folder, out: out, model: settings.model,
                                           log: staging.appendingPathComponent("worker.log")) { worker in
                self.inHand.withLock { $0[claim.name] = worker }
            }
            inHand.withLock { $0[claim.name] = .some(nil) }
            switch outcome {
            case .succeeded:
                do {
                    let target = uniqueDestination(settings.outbox, claim.name)
                    try Watcher.restrictPermissions(out)
                    try move(out, to: target)
                    try move(claim.folder, to: uniqueDestination(settings.archive, claim.name))
                    try ledger.finish(id: id, state: .reported, now: now, seconds: now - started,
                                      timings: Watcher.timings(target))
                    try? FileManager.default.removeItem(at: staging)
                    logger.info("study reported", metadata: ["study": "\(k)", "seconds": "\(String(format: "%.2f", now - started))"])
                    onStudyFinished?(claim.name, .reported)
                } catch {
                    try? FileManager.default.removeItem(at: staging)
                    fail(claim, reason: "the outputs could not be moved into place: \(error)", ledgerID: id, attempts: attempts)
                }
                return
            case .refused(let reason):
                try? FileManager.default.removeItem(at: staging)
                fail(claim, reason: reason, ledgerID: id, attempts: attempts)
                return
            case .transient(let reason):
                try? FileManager.default.removeItem(at: staging)
                if stopping.value {
                    release(claim, ledgerID: id, reason: reason)
                    return
                }
                guard attempts < settings.maxAttempts else {
                    fail(claim, reason: "\(reason) (after \(attempts) attempts)", ledgerID: id, attempts: attempts)
                    return
                }
                logger.warning("transient failure, retrying", metadata: ["study": "\(k)", "attempt": "\(attempts)", "delaySeconds": "\(delay)"])
                try? await Task.sleep(nanoseconds: UInt64(delay * 1e9))
                delay *= 2
                attempts += 1
            }
        }
    }

    /// A refused study: inputs to failed/<name>/ untouched, error.txt beside them.
    private func fail(_ claim: Claim, reason: String, ledgerID: Int64?, attempts: Int) {
        let target = uniqueDestination(settings.failed, claim.name)
        do {
            try move(claim.folder, to: target)
            try AtomicFile.write(Watcher.errorText(study: claim.name, reason: reason, attempts: attempts),
                                 to: target.appendingPathComponent("error.txt"), permissions: 0o640)
        } catch {
            logger.critical("a refused study could not be moved to failed/", metadata: ["study": "\(key(claim.name))", "error": "\(error)"])
        }
        do {
            let id = try ledgerID ?? ledger.claim(study: claim.name, contentHash: "", owner: owner.label, now: now)
            try ledger.finish(id: id, state: .failed, now: now, seconds: nil, error: reason)
        } catch {
            logger.error("ledger update failed", metadata: ["error": "\(error)"])
        }
        logger.error("study refused", metadata: ["study": "\(key(claim.name))"])
        onStudyFinished?(claim.name, .failed)
    }

    /// Gives a claim back: the study returns to the inbox to be redone from scratch.
    private func release(_ claim: Claim, ledgerID: Int64?, reason: String) {
        let target = uniqueDestination(settings.inbox, claim.name)
        do { try move(claim.folder, to: target) } catch {
            logger.critical("a claim could not be given back", metadata: ["study": "\(key(claim.name))", "error": "\(error)"])
        }
        if let ledgerID { try? ledger.finish(id: ledgerID, state: .released, now: now, seconds: nil, error: reason) }
        logger.notice("claim released", metadata: ["study": "\(key(claim.name))"])
        onStudyFinished?(claim.name, .released)
    }

    /// True when the holder of a `processing` ledger row is certainly gone (its process on this
    /// host no longer exists, or another host's claim is older than a stale claim) and its
    /// study is no longer in processing/ — so no stale-claim recovery will ever close the row
    /// (a watcher killed between archiving a study and recording it). While the study is still
    /// in processing/, the recovery releases the row and redoes the study; identical images wait.
    func holderIsGone(_ row: Ledger.Entry) -> Bool {
        guard let holder = ClaimOwner(label: row.owner, since: row.claimedAt),
              holder.isStale(now: now, staleAfter: settings.studyTimeoutSeconds * Double(settings.maxAttempts) + 120) else { return false }
        var st = stat()
        return lstat(settings.processing.appendingPathComponent(row.study).path, &st) != 0
    }

    /// Stops the workers of the studies in hand (after the shutdown grace period); their claims
    /// are given back and the studies redone from scratch.
    private func stopWorkersInHand() {
        for case let worker? in inHand.value.values { worker.signal(SIGKILL) }
    }

    /// Claims whose holder is gone (a killed watcher) go back to the inbox, their ledger rows
    /// released and their staging folders removed: the study is redone from scratch.
    func recoverStaleClaims() throws {
        let t = now
        removeAbandonedTemporaryFiles(now: t)
        for entry in try InboxEntry.list(settings.processing) where entry.isDirectory {
            guard let name = entry.name else { continue }
            let ownerFile = Claim.ownerFile(name, settings: settings)
            let holder = ClaimOwner.read(ownerFile)
            let stale: Bool
            if let holder {
                stale = holder.isStale(now: t, staleAfter: settings.studyTimeoutSeconds * Double(settings.maxAttempts) + 120)
            } else {
                // Killed between the rename and writing the owner file: stale once old enough.
                // The status-change time, which the claiming rename sets (the modification time
                // is the dropper's and may be old while another watcher is just starting).
                var st = stat()
                let claimed = stat(settings.processing.appendingPathComponent(name).path, &st) == 0
                    ? Double(st.st_ctim.tv_sec) : t
                stale = t - claimed > 60
            }
            guard stale else { continue }
            // Take the recovery itself: rename the owner file away (or, when there is none,
            // create it exclusively first). Of several watchers recovering at once one wins, and
            // it checks that the holder it took over is still the stale one.
            let taken = settings.processing.appendingPathComponent(".\(name).recovering-\(getpid())")
            if let holder {
                guard rename(ownerFile.path, taken.path) == 0 else { continue }
                guard ClaimOwner.read(taken) == holder else {
                    _ = rename(taken.path, ownerFile.path)  // claimed anew meanwhile: not ours to take
                    continue
                }
            } else {
                let fd = open(ownerFile.path, O_CREAT | O_EXCL | O_WRONLY, 0o640)
                guard fd >= 0 else { continue }
                close(fd)
                guard rename(ownerFile.path, taken.path) == 0 else { continue }
            }
            defer { try? FileManager.default.removeItem(at: taken) }
            for row in try ledger.openClaims(study: name) {
                try ledger.finish(id: row.id, state: .released, now: t, seconds: nil, error: "the watcher holding the claim (\(row.owner)) stopped; redone")
            }
            if let staged = try? FileManager.default.contentsOfDirectory(atPath: settings.staging.path) {
                for s in staged where s.hasPrefix(name + "-") && s.count == name.count + 9 {
                    try? FileManager.default.removeItem(at: settings.staging.appendingPathComponent(s))
                }
            }
            try move(settings.processing.appendingPathComponent(name), to: uniqueDestination(settings.inbox, name))
            logger.notice("stale claim taken back", metadata: ["study": "\(key(name))"])
        }
    }

    /// A watcher killed inside `AtomicFile.write` (the claim's owner file) leaves its
    /// `.<file>.tmp-PID-XXXXXXXX` in processing/. Removed when its process is gone from this
    /// host and it is over 5 s old (a write takes milliseconds, so another host's live write is
    /// never touched), or when it is over 10 minutes old whatever the PID says.
    private func removeAbandonedTemporaryFiles(now t: Double) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: settings.processing.path) else { return }
        for name in names where name.hasPrefix(".") {
            guard let range = name.range(of: ".tmp-", options: .backwards),
                  let pid = Int32(name[range.upperBound...].prefix { $0 != "-" }) else { continue }
            let path = settings.processing.appendingPathComponent(name).path
            var st = stat()
            guard stat(path, &st) == 0 else { continue }
            let age = t - Double(st.st_mtim.tv_sec)
            let gone = kill(pid, 0) != 0 && errno == ESRCH
            if (gone && age > 5) || age > 600 { unlink(path) }
        }
    }

    // MARK: - Files

    private func move(_ from: URL, to: URL) throws {
        guard rename(from.path, to.path) == 0 else {
            throw DropFolderError.move(from: from.path, to: to.path, reason: String(cString: strerror(errno)))
        }
    }

    /// `folder/name`, or `name-2`, `name-3`, … when taken: nothing is ever overwritten.
    private func uniqueDestination(_ folder: URL, _ name: String) -> URL {
        var candidate = folder.appendingPathComponent(name)
        var n = 2
        while FileManager.default.fileExists(atPath: candidate.path) || (try? FileManager.default.destinationOfSymbolicLink(atPath: candidate.path)) != nil {
            candidate = folder.appendingPathComponent("\(name)-\(n)")
            n += 1
        }
        return candidate
    }

    /// Files 0640, folders 0750: reports carry patient data.
    static func restrictPermissions(_ folder: URL) throws {
        let fm = FileManager.default
        try fm.setAttributes([.posixPermissions: 0o750], ofItemAtPath: folder.path)
        guard let walker = fm.enumerator(atPath: folder.path) else { return }
        for case let relative as String in walker {
            let path = folder.appendingPathComponent(relative).path
            var isDir: ObjCBool = false
            fm.fileExists(atPath: path, isDirectory: &isDir)
            try fm.setAttributes([.posixPermissions: isDir.boolValue ? 0o750 : 0o640], ofItemAtPath: path)
        }
    }

    /// The stage timings (`seconds`) the study command wrote in provenance.json, as JSON text.
    static func timings(_ outputs: URL) -> String? {
        guard let data = FileManager.default.contents(atPath: outputs.appendingPathComponent("provenance.json").path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let timings = object["seconds"] ?? object["timings"], JSONSerialization.isValidJSONObject(timings),
              let text = try? JSONSerialization.data(withJSONObject: timings, options: [.sortedKeys]) else { return nil }
        return String(decoding: text, as: UTF8.self)
    }

    static func errorText(study: String, reason: String, attempts: Int) -> String {
        """
        her2mri could not process this study.

        Study folder: \(study)
        When: \(ISO8601DateFormatter().string(from: Date()))
        Attempts: \(attempts)
        Reason:
        \(reason)

        The input files in this folder are exactly as they were dropped. Correct the fault and
        drop the study into the inbox again (without this file), or send this file to the
        her2mri administrator.

        """
    }
}
