import Foundation
import Logging
import ServiceLifecycle
import Support
import Testing
@testable import DropFolder

/// The watcher's promises, with a real child process per study: a shell script stands in for
/// `her2mri predict` so each fault (refusal, crash, hang) can be produced on purpose. The
/// end-to-end soak with the real predict runs from EndToEndTests.
@Suite struct WatcherTests {
    /// A drop folder in a fresh temporary directory.
    struct Site {
        let root: URL
        var inbox: URL { root.appendingPathComponent("inbox") }
        var outbox: URL { root.appendingPathComponent("outbox") }
        var work: URL { root.appendingPathComponent("work") }
        var model: URL { root.appendingPathComponent("model.json") }
        var marks: URL { root.appendingPathComponent("marks") }

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("drop-\(UUID().uuidString)")
            for f in ["inbox", "outbox", "marks"] {
                try FileManager.default.createDirectory(at: root.appendingPathComponent(f), withIntermediateDirectories: true)
            }
            try "{}".write(to: model, atomically: true, encoding: .utf8)
        }

        /// The stand-in for predict: the behaviour is chosen by the study's `mode` file.
        var command: [String] {
            let script = """
            study="$1"; out="$2"; marks="\(marks.path)"
            name=$(basename "$study")
            mode=$(cat "$study/mode" 2>/dev/null || echo good)
            case "$mode" in
              bad) echo "$study/dce.nii.gz: not a NIfTI file (no magic)" >&2; exit 1 ;;
              crash-once) if [ ! -e "$marks/$name" ]; then touch "$marks/$name"; kill -9 $$; fi ;;
              crash) kill -9 $$ ;;
              slow) sleep 3 ;;
              hang) exec sleep 600 ;;
              busy) exit 75 ;;
            esac
            mkdir -p "$out"
            n=$(find "$study" -type f | wc -l)
            printf '{"files": %s}\\n' "$n" > "$out/prediction.json"
            printf '{"timings": {"model": 0.01}}\\n' > "$out/provenance.json"
            """
            return ["/bin/sh", "-c", script, "sh", "{study}", "{out}"]
        }

        func settings(once: Bool = true, workers: Int = 2) -> WatchSettings {
            var s = WatchSettings(inbox: inbox, outbox: outbox, model: model, work: work, command: command)
            s.once = once
            s.workers = workers
            s.settleSeconds = 0.5
            s.pollSeconds = 0.1
            s.retryDelaySeconds = 0.05
            s.minimumFreeBytes = 1
            return s
        }

        @discardableResult
        func drop(_ name: String, mode: String = "good", ready: Bool = true, files: Int = 3) throws -> String {
            let folder = inbox.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("DCE"), withIntermediateDirectories: true)
            var g = SplitMix64(seed: UInt64(truncatingIfNeeded: name.hashValue))
            for i in 0..<files {
                try Data((0..<256).map { _ in UInt8(truncatingIfNeeded: g.next()) }).write(to: folder.appendingPathComponent("DCE/\(i).dcm"))
            }
            try mode.write(to: folder.appendingPathComponent("mode"), atomically: true, encoding: .utf8)
            if ready { FileManager.default.createFile(atPath: folder.appendingPathComponent("READY").path, contents: nil) }
            return try StudySnapshot.take(folder).contentHash(in: folder)
        }

        func names(_ folder: URL) -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        }
    }

    static let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    func runOnce(_ site: Site, workers: Int = 2) async throws -> [Ledger.Entry] {
        let watcher = try Watcher(settings: site.settings(workers: workers), logger: WatcherTests.quiet)
        try await watcher.run()
        return try Ledger(file: site.work.appendingPathComponent("ledger.sqlite")).entries()
    }

    @Test func goodStudiesAreReportedOnceAndArchived() async throws {
        let site = try Site()
        defer { try? FileManager.default.removeItem(at: site.root) }
        for i in 0..<4 { try site.drop("study\(i)") }
        let rows = try await runOnce(site)
        #expect(site.names(site.outbox) == ["study0", "study1", "study2", "study3"])
        #expect(site.names(site.work.appendingPathComponent("archive")) == ["study0", "study1", "study2", "study3"])
        #expect(site.names(site.inbox).isEmpty)
        #expect(rows.count == 4 && rows.allSatisfy { $0.state == .reported && $0.timings == "{\"model\":0.01}" })
        // Reports carry patient data: files 0640, folders 0750.
        let attributes = try FileManager.default.attributesOfItem(atPath: site.outbox.appendingPathComponent("study0/prediction.json").path)
        #expect(attributes[.posixPermissions] as? Int == 0o640)
        let folder = try FileManager.default.attributesOfItem(atPath: site.outbox.appendingPathComponent("study0").path)
        #expect(folder[.posixPermissions] as? Int == 0o750)
        // The child saw every input file (3 images, mode, READY).
        let prediction = try String(contentsOf: site.outbox.appendingPathComponent("study1/prediction.json"), encoding: .utf8)
        #expect(prediction.contains("\"files\": 5"))
    }

    @Test func refusedStudiesGoToFailedUntouchedWithTheReason() async throws {
        let site = try Site()
        defer { try? FileManager.default.removeItem(at: site.root) }
        let hash = try site.drop("bad1", mode: "bad")
        try site.drop("good1")
        let rows = try await runOnce(site)
        let failed = site.work.appendingPathComponent("failed/bad1")
        let text = try String(contentsOf: failed.appendingPathComponent("error.txt"), encoding: .utf8)
        #expect(text.contains("dce.nii.gz: not a NIfTI file"))
        // error.txt is the only addition: the inputs hash as dropped.
        try FileManager.default.removeItem(at: failed.appendingPathComponent("error.txt"))
        #expect(try StudySnapshot.take(failed).contentHash(in: failed) == hash)
        #expect(site.names(site.outbox) == ["good1"])
        #expect(rows.first { $0.study == "bad1" }?.state == .failed)
        #expect(rows.first { $0.study == "bad1" }?.attempts == 1)   // a bad study is not retried
    }

    @Test func crashedWorkersAreRetriedAndPersistentCrashesFail() async throws {
        let site = try Site()
        defer { try? FileManager.default.removeItem(at: site.root) }
        try site.drop("flaky", mode: "crash-once")
        try site.drop("broken", mode: "crash")
        try site.drop("busy", mode: "busy")
        let rows = try await runOnce(site, workers: 3)
        #expect(site.names(site.outbox) == ["flaky"])
        #expect(Set(site.names(site.work.appendingPathComponent("failed"))) == ["broken", "busy"])
        let broken = try String(contentsOf: site.work.appendingPathComponent("failed/broken/error.txt"), encoding: .utf8)
        #expect(broken.contains("signal") && broken.contains("Attempts: 3"))
        #expect(rows.filter { $0.study == "flaky" }.map(\.state) == [.reported])
        #expect(site.names(site.work.appendingPathComponent("staging")).isEmpty)
    }

    /// Each worker gets its share of the cores (`{threads}`) and OpenMP threads that sleep when
    /// idle, so parallel studies do not oversubscribe the cores.
    @Test(arguments: [1, 2, 64])
    func workersShareTheCores(workers: Int) async throws {
        let site = try Site()
        defer { try? FileManager.default.removeItem(at: site.root) }
        try site.drop("s")
        var settings = site.settings(workers: workers)
        settings.command = ["/bin/sh", "-c", #"mkdir -p "$2" && echo "$3 $OMP_WAIT_POLICY" > "$2/prediction.json""#,
                            "sh", "{study}", "{out}", "{threads}"]
        try await Watcher(settings: settings, logger: WatcherTests.quiet).run()
        let seen = try String(contentsOf: site.outbox.appendingPathComponent("s/prediction.json"), encoding: .utf8)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let policy = ProcessInfo.processInfo.environment["OMP_WAIT_POLICY"] ?? "PASSIVE"  // the watcher's own wins
        #expect(seen == "\(max(1, cores / workers)) \(policy)\n")
        #expect(WatchSettings(inbox: site.inbox, outbox: site.outbox, model: site.model).command.suffix(2) == ["--threads", "{threads}"])
    }

    @Test func theSameImagesAreNotReportedTwice() async throws {
        let site = try Site()
        defer { try? FileManager.default.removeItem(at: site.root) }
        try site.drop("first")
        _ = try await runOnce(site)
        // The same files dropped again under another name.
        try FileManager.default.copyItem(at: site.work.appendingPathComponent("archive/first"), to: site.inbox.appendingPathComponent("again"))
        let rows = try await runOnce(site)
        #expect(site.names(site.outbox) == ["first"])
        #expect(rows.map(\.state) == [.reported, .duplicate])
        #expect(site.names(site.work.appendingPathComponent("archive")) == ["again", "first"])
    }

    /// Identical images dropped at the same moment, taken by two watchers (or two workers of one)
    /// while the first is still being predicted: one report; the other copy waits in the inbox
    /// and ends as `duplicate`, its inputs archived.
    @Test(arguments: [(watchers: 2, workers: 1), (watchers: 1, workers: 2)])
    func identicalStudiesDroppedAtOnceAreReportedOnce(_ shape: (watchers: Int, workers: Int)) async throws {
        let site = try Site()
        defer { try? FileManager.default.removeItem(at: site.root) }
        let hash = try site.drop("twin1", mode: "slow")
        try FileManager.default.copyItem(at: site.inbox.appendingPathComponent("twin1"), to: site.inbox.appendingPathComponent("twin2"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<shape.watchers {
                let watcher = try Watcher(settings: site.settings(workers: shape.workers), logger: WatcherTests.quiet)
                group.addTask { try await watcher.run() }
            }
            try await group.waitForAll()
        }
        let rows = try Ledger(file: site.work.appendingPathComponent("ledger.sqlite")).entries()
        #expect(site.names(site.outbox).count == 1)
        #expect(rows.map(\.state).sorted { $0.rawValue < $1.rawValue } == [.duplicate, .reported])
        #expect(rows.allSatisfy { $0.contentHash == hash })
        #expect(site.names(site.work.appendingPathComponent("archive")) == ["twin1", "twin2"])
        #expect(site.names(site.inbox).isEmpty && site.names(site.work.appendingPathComponent("processing")).isEmpty)
    }

    /// A `processing` row whose holder died after its study left processing/ (killed between
    /// archiving and recording it): no recovery will ever close it, so it must not hold the
    /// same images back for ever.
    @Test func aDeadHoldersOrphanedRowDoesNotBlockItsImages() async throws {
        let site = try Site()
        defer { try? FileManager.default.removeItem(at: site.root) }
        let hash = try site.drop("again")
        let dead = try WatcherTests.deadProcess()
        let settings = site.settings()
        try Watcher.prepareFolders(settings)
        let holder = ClaimOwner(host: ProcessInfo.processInfo.hostName, pid: dead.processIdentifier, since: 0)
        _ = try Ledger(file: settings.ledgerFile).claim(study: "first", contentHash: hash, owner: holder.label, now: 0)
        let rows = try await runOnce(site)
        #expect(site.names(site.outbox) == ["again"])
        #expect(rows.map(\.state) == [.released, .reported])
    }

    @Test func pathTricksAreRefusedAndNothingEscapes() async throws {
        let site = try Site()
        defer { try? FileManager.default.removeItem(at: site.root) }
        let outside = site.root.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try "secret".write(to: outside.appendingPathComponent("secret.txt"), atomically: true, encoding: .utf8)
        // A study that is a symbolic link to a folder outside the inbox.
        try FileManager.default.createSymbolicLink(at: site.inbox.appendingPathComponent("linked"), withDestinationURL: outside)
        // A study holding a link to a file outside.
        try site.drop("leaky")
        try FileManager.default.createSymbolicLink(at: site.inbox.appendingPathComponent("leaky/DCE/x.dcm"),
                                                   withDestinationURL: outside.appendingPathComponent("secret.txt"))
        // Names with a newline and with bytes that are not UTF-8.
        try site.drop("new\nline")
        let raw = Array(site.inbox.path.utf8) + Array("/bad".utf8) + [0xFF, 0xFE, 0]
        raw.withUnsafeBufferPointer { p in _ = p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: raw.count) { mkdir($0, 0o755) } }
        try site.drop("fine")
        let rows = try await runOnce(site)
        #expect(site.names(site.outbox) == ["fine"])
        #expect(site.names(site.inbox).isEmpty)
        #expect(site.names(outside) == ["secret.txt"])
        #expect(try String(contentsOf: outside.appendingPathComponent("secret.txt"), encoding: .utf8) == "secret")
        let failed = site.names(site.work.appendingPathComponent("failed"))
        #expect(failed.contains("leaky"))
        #expect(failed.filter { $0.hasPrefix("unsafe-") && !$0.hasSuffix(".txt") }.count == 3)
        #expect(rows.filter { $0.state == .failed }.count == 4)
        #expect(failed.allSatisfy { StudyName.problem(Array($0.utf8)) == nil })
    }

    @Test func aStudyCopiedInSlowlyIsNotTakenBeforeItIsComplete() async throws {
        let site = try Site()
        defer { try? FileManager.default.removeItem(at: site.root) }
        let writer = try SlowCopy(into: site.inbox.appendingPathComponent("slowcopy/DCE"), files: 8, everySeconds: 0.3)
        var settings = site.settings()
        settings.settleSeconds = 1.0
        let watcher = try Watcher(settings: settings, logger: WatcherTests.quiet)
        try await watcher.run()
        _ = try writer.finished()
        let prediction = try String(contentsOf: site.outbox.appendingPathComponent("slowcopy/prediction.json"), encoding: .utf8)
        #expect(prediction.contains("\"files\": 8"))
    }

    /// The issue's case at its own time scale: files arriving over 20 s (one every 2.9 s, no
    /// READY file), the default settle time (10 s of no change): taken once, whole.
    @Test func aStudyCopiedInOver20SecondsIsTakenWholeWithTheDefaultSettle() async throws {
        let site = try Site()
        defer { try? FileManager.default.removeItem(at: site.root) }
        let started = Date()
        let writer = try SlowCopy(into: site.inbox.appendingPathComponent("copy20s/DCE"), files: 8, everySeconds: 2.86)
        var settings = site.settings()
        settings.settleSeconds = WatchSettings(inbox: site.inbox, outbox: site.outbox, model: site.model).settleSeconds
        #expect(settings.settleSeconds == 10)
        let watcher = try Watcher(settings: settings, logger: WatcherTests.quiet)
        try await watcher.run()
        #expect(try writer.finished().timeIntervalSince(started) >= 20)
        let prediction = try String(contentsOf: site.outbox.appendingPathComponent("copy20s/prediction.json"), encoding: .utf8)
        #expect(prediction.contains("\"files\": 8"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: site.outbox.path) == ["copy20s"])
    }

    /// A process that has run and exited: its PID names no live process (a dead claim holder).
    static func deadProcess() throws -> Process {
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/true")
        try dead.run()
        dead.waitUntilExit()
        return dead
    }

    @Test func staleClaimsOfADeadWatcherAreRedone() async throws {
        let site = try Site()
        defer { try? FileManager.default.removeItem(at: site.root) }
        try site.drop("orphan")
        // A watcher that claimed the study and died: its process no longer exists.
        let dead = try WatcherTests.deadProcess()
        let settings = site.settings()
        try Watcher.prepareFolders(settings)
        let ledger = try Ledger(file: settings.ledgerFile)
        _ = try ledger.claim(study: "orphan", contentHash: "x", owner: "dead", now: 0)
        try FileManager.default.moveItem(at: site.inbox.appendingPathComponent("orphan"), to: settings.processing.appendingPathComponent("orphan"))
        let owner = ClaimOwner(host: ProcessInfo.processInfo.hostName, pid: dead.processIdentifier, since: 0)
        try AtomicFile.write(owner.encoded(), to: Claim.ownerFile("orphan", settings: settings))
        let rows = try await runOnce(site)
        #expect(site.names(site.outbox) == ["orphan"])
        #expect(rows.map(\.state) == [.released, .reported])
        #expect(site.names(settings.processing).isEmpty)
    }

    /// A watcher killed inside `AtomicFile.write` leaves the claim's temporary owner file: the
    /// sweep removes it once its process is gone and it is a few seconds old, never a live one's.
    @Test func abandonedTemporaryOwnerFilesAreSwept() throws {
        let site = try Site()
        defer { try? FileManager.default.removeItem(at: site.root) }
        let dead = try WatcherTests.deadProcess()
        let settings = site.settings()
        let watcher = try Watcher(settings: settings, logger: WatcherTests.quiet)
        func temporary(_ study: String, pid: Int32, age: Int) throws -> String {
            let name = ".\(study).claim.tmp-\(pid)-ABCD1234"
            let url = settings.processing.appendingPathComponent(name)
            try Data("{}".utf8).write(to: url)
            let then = Date().addingTimeInterval(-Double(age))
            try FileManager.default.setAttributes([.modificationDate: then], ofItemAtPath: url.path)
            return name
        }
        _ = try temporary("gone", pid: dead.processIdentifier, age: 30)
        let fresh = try temporary("fresh", pid: dead.processIdentifier, age: 0)
        let live = try temporary("live", pid: getpid(), age: 30)
        try watcher.recoverStaleClaims()
        let left = try FileManager.default.contentsOfDirectory(atPath: settings.processing.path)
        #expect(Set(left) == [fresh, live])
    }

    @Test func twoWatchersOnOneInboxNeverProcessAStudyTwice() async throws {
        let site = try Site()
        defer { try? FileManager.default.removeItem(at: site.root) }
        for i in 0..<12 { try site.drop("s\(i)") }
        let a = try Watcher(settings: site.settings(), logger: WatcherTests.quiet)
        let b = try Watcher(settings: site.settings(), logger: WatcherTests.quiet)
        async let ra: Void = a.run()
        async let rb: Void = b.run()
        _ = try await (ra, rb)
        let rows = try Ledger(file: site.work.appendingPathComponent("ledger.sqlite")).entries()
        #expect(site.names(site.outbox).count == 12)
        #expect(rows.count == 12 && Set(rows.map(\.study)).count == 12 && rows.allSatisfy { $0.state == .reported })
    }

    @Test func gracefulShutdownFinishesTheStudyInHand() async throws {
        let site = try Site()
        defer { try? FileManager.default.removeItem(at: site.root) }
        try site.drop("inhand", mode: "slow")
        let watcher = try Watcher(settings: site.settings(once: false), logger: WatcherTests.quiet)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: watcher, successTerminationBehavior: .gracefullyShutdownGroup)], logger: WatcherTests.quiet))
        async let running: Void = group.run()
        // Wait until the study is claimed, then ask for shutdown (no real signal).
        for _ in 0..<100 where site.names(site.work.appendingPathComponent("processing")).isEmpty {
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        await group.triggerGracefulShutdown()
        try await running
        #expect(site.names(site.outbox) == ["inhand"])
    }

    @Test func shutdownAfterTheGracePeriodGivesTheClaimBack() async throws {
        let site = try Site()
        defer { try? FileManager.default.removeItem(at: site.root) }
        try site.drop("toolong", mode: "hang")
        var settings = site.settings(once: false)
        settings.shutdownGraceSeconds = 0.3
        let watcher = try Watcher(settings: settings, logger: WatcherTests.quiet)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: watcher, successTerminationBehavior: .gracefullyShutdownGroup)], logger: WatcherTests.quiet))
        async let running: Void = group.run()
        for _ in 0..<100 where site.names(site.work.appendingPathComponent("processing")).isEmpty {
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        try await Task.sleep(nanoseconds: 200_000_000)
        await group.triggerGracefulShutdown()
        try await running
        #expect(site.names(site.outbox).isEmpty)
        #expect(site.names(site.inbox) == ["toolong"])
        let rows = try Ledger(file: settings.ledgerFile).entries()
        #expect(rows.map(\.state) == [.released])
    }

    @Test func anOutboxOthersCanWriteIsRefused() throws {
        let site = try Site()
        defer { try? FileManager.default.removeItem(at: site.root) }
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: site.outbox.path)
        #expect(throws: DropFolderError.self) { try Watcher(settings: site.settings(), logger: WatcherTests.quiet) }
    }
}

/// A copy arriving slowly: `files` small files written into `folder` one every `everySeconds`,
/// on a thread of its own (a task on the shared pool can be held back for seconds when the whole
/// suite runs, which would look like a copy that paused longer than the settle time).
final class SlowCopy: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let outcome = LockBox<Result<Date, Error>?>(nil)

    init(into folder: URL, files: Int, everySeconds: Double) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let thread = Thread { [outcome, done] in
            let result = Result<Date, Error> {
                for i in 0..<files {
                    if i > 0 { usleep(useconds_t(everySeconds * 1e6)) }
                    try Data(repeating: UInt8(i), count: 100).write(to: folder.appendingPathComponent("\(i).dcm"))
                }
                return Date()
            }
            outcome.withLock { $0 = result }
            done.signal()
        }
        thread.start()
    }

    /// Waits for the last file and returns when it was written (or the write's error).
    func finished() throws -> Date {
        done.wait()
        return try outcome.withLock { $0! }.get()
    }
}
