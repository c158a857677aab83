import DropFolder
import Foundation
import Testing

/// Real signals on the real binary: `her2mri watch` receives SIGTERM or SIGINT while its worker
/// (`her2mri predict`) has a study in hand. SIGTERM with a grace period longer than any study
/// (the machine may be loaded): the study finishes and is reported. SIGINT with `--grace 0`: the worker is stopped and the claim given
/// back, the study back in the inbox byte-identical, and a later run reports it. Exit 0 each time.
@Suite(.serialized) struct WatchSignalTests {
    /// Drops one good study (a fixture study under a new patient), starts the watcher and waits
    /// until its worker runs.
    func startWithStudyInHand(_ site: SoakSite, fixture: WatchFixture.Made, name: String, grace: [String]) async throws
        -> (Process, SoakPlan.Drop) {
        let staged = site.staged.appendingPathComponent(name)
        try FileManager.default.copyItem(at: fixture.cohort.appendingPathComponent(fixture.studies[1]), to: staged)
        try SoakPlan.setPatient(staged.appendingPathComponent("study.json"), id: "PTSIG\(name.count)", name: "Signal^Sam", accession: "ACCSIG")
        FileManager.default.createFile(atPath: staged.appendingPathComponent("READY").path, contents: nil)
        var drop = SoakPlan.Drop(kind: .good, staged: staged, rawName: Array(name.utf8), patientID: "PTSIG\(name.count)", patientName: "Signal^Sam")
        drop.fingerprint = try Fingerprint.of(staged)
        try site.drop(drop)
        let watcher = try site.startWatcher(name, model: fixture.model, extra: grace)
        // A blocking poll (not Task.sleep): with the whole suite on 2 cores a suspended test may
        // resume only after a 2-second study has ended. Up to 2 minutes.
        for _ in 0..<6_000 {
            if SoakSite.children(of: watcher.processIdentifier).contains(where: SoakSite.isPredict) { break }
            usleep(20_000)
        }
        try #require(SoakSite.children(of: watcher.processIdentifier).contains(where: SoakSite.isPredict),
                     "the watcher never started a worker")
        try #require(site.names(site.work.appendingPathComponent("processing")) == [name])
        return (watcher, drop)
    }

    @Test func sigtermFinishesTheStudyInHandAndExitsZero() async throws {
        let fixture = try WatchFixture.made.get()
        let root = Binary.temporaryFolder("sigterm")
        defer { try? FileManager.default.removeItem(at: root) }
        let site = try SoakSite(root: root)
        let (watcher, drop) = try await startWithStudyInHand(site, fixture: fixture, name: "term", grace: ["--grace", "900"])
        kill(watcher.processIdentifier, SIGTERM)
        watcher.waitUntilExit()
        #expect(watcher.terminationReason == .exit && watcher.terminationStatus == 0)
        #expect(site.names(site.outbox) == ["term"])
        #expect(Set(site.names(site.outbox.appendingPathComponent("term"))).isSuperset(of: ["report.pdf", "hl7.xml", "hl7.er7", "report.dcm"]))
        #expect(site.names(site.inbox).isEmpty)
        #expect(site.names(site.work.appendingPathComponent("processing"), hidden: true).isEmpty)
        #expect(try Fingerprint.of(site.work.appendingPathComponent("archive/term")) == drop.fingerprint)
        let rows = try Ledger(file: site.work.appendingPathComponent("ledger.sqlite")).entries()
        #expect(rows.map(\.state) == [.reported])
        let log = try String(contentsOf: site.log("term"), encoding: .utf8)
        #expect(log.contains("shutdown requested") && log.contains("watcher stopped"))
    }

    @Test func sigintAfterTheGracePeriodGivesTheClaimBackAndExitsZero() async throws {
        let fixture = try WatchFixture.made.get()
        let root = Binary.temporaryFolder("sigint")
        defer { try? FileManager.default.removeItem(at: root) }
        let site = try SoakSite(root: root)
        let (watcher, drop) = try await startWithStudyInHand(site, fixture: fixture, name: "interrupted", grace: ["--grace", "0"])
        let worker = SoakSite.children(of: watcher.processIdentifier).first(where: SoakSite.isPredict)
        kill(watcher.processIdentifier, SIGINT)
        watcher.waitUntilExit()
        #expect(watcher.terminationReason == .exit && watcher.terminationStatus == 0)
        if let worker { #expect(kill(worker, 0) != 0, "the worker outlived its watcher") }
        // The claim given back: the study in the inbox as dropped, nothing in the outbox or staging.
        #expect(site.names(site.inbox) == ["interrupted"])
        #expect(try Fingerprint.of(site.inbox.appendingPathComponent("interrupted")) == drop.fingerprint)
        #expect(site.names(site.outbox).isEmpty)
        #expect(site.names(site.work.appendingPathComponent("processing"), hidden: true).isEmpty)
        #expect(site.names(site.work.appendingPathComponent("staging"), hidden: true).isEmpty)
        #expect(try Ledger(file: site.work.appendingPathComponent("ledger.sqlite")).entries().map(\.state) == [.released])
        // A later run reports it.
        let again = try Binary.run(["watch", "--inbox", site.inbox.path, "--outbox", site.outbox.path, "--work", site.work.path,
                                    "--model", fixture.model.path, "--settle", "1", "--once", "--log", site.log("again").path])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(site.names(site.outbox) == ["interrupted"])
        #expect(try Ledger(file: site.work.appendingPathComponent("ledger.sqlite")).entries().map(\.state) == [.released, .reported])
    }
}
