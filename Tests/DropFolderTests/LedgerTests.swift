import Foundation
import Testing
@testable import DropFolder

/// The ledger as the shared truth about content: one claim per content at a time, a reported
/// content recognised, a dead holder's orphaned row not blocking its content forever.
@Suite struct LedgerTests {
    func withLedger(_ body: (Ledger, URL) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("ledger.sqlite")
        try body(try Ledger(file: file), file)
    }

    @Test func aContentIsClaimedOnceWhileInHandAndThenRecognised() throws {
        try withLedger { ledger, _ in
            let alive: (Ledger.Entry) -> Bool = { _ in false }
            guard case .claimed(let first, let attempts) = try ledger.claim(study: "a", contentHash: "h1", owner: "x:1", now: 1, holderIsGone: alive) else {
                Issue.record("the first claim of a content was not granted"); return
            }
            #expect(attempts == 1)
            // The same images under another name while the first is in hand: nothing recorded.
            let second = try ledger.claim(study: "b", contentHash: "h1", owner: "y:2", now: 2, holderIsGone: alive)
            #expect(second == .inHand(try #require(try ledger.entry(id: first))))
            #expect(try ledger.entries().count == 1)
            // Other content is not held up.
            guard case .claimed = try ledger.claim(study: "c", contentHash: "h2", owner: "y:2", now: 2, holderIsGone: alive) else {
                Issue.record("other content was held up"); return
            }
            try ledger.finish(id: first, state: .reported, now: 3, seconds: 2)
            guard case .alreadyReported(let dup) = try ledger.claim(study: "b", contentHash: "h1", owner: "y:2", now: 4, holderIsGone: alive) else {
                Issue.record("a reported content was not recognised"); return
            }
            #expect(try ledger.entry(id: dup)?.state == .duplicate)
        }
    }

    @Test func aReleasedClaimLetsTheContentBeClaimedAgain() throws {
        try withLedger { ledger, _ in
            guard case .claimed(let first, _) = try ledger.claim(study: "a", contentHash: "h", owner: "x:1", now: 1, holderIsGone: { _ in false }) else {
                Issue.record("not granted"); return
            }
            try ledger.finish(id: first, state: .released, now: 2, seconds: nil, error: "shutdown")
            guard case .claimed(_, let attempts) = try ledger.claim(study: "a", contentHash: "h", owner: "x:1", now: 3, holderIsGone: { _ in false }) else {
                Issue.record("a released content stayed blocked"); return
            }
            #expect(attempts == 2)
        }
    }

    @Test func aGoneHoldersRowIsReleasedAndTheContentClaimed() throws {
        try withLedger { ledger, _ in
            guard case .claimed(let orphan, _) = try ledger.claim(study: "a", contentHash: "h", owner: "x:1", now: 1, holderIsGone: { _ in false }) else {
                Issue.record("not granted"); return
            }
            let again = try ledger.claim(study: "b", contentHash: "h", owner: "y:2", now: 2, holderIsGone: { $0.id == orphan })
            guard case .claimed(let id, _) = again else { Issue.record("a gone holder blocked its content: \(again)"); return }
            #expect(try ledger.entry(id: orphan)?.state == .released)
            #expect(try ledger.entry(id: id)?.state == .processing)
        }
    }

    /// The database itself refuses a second `processing` row for one content (the UNIQUE
    /// partial index), whoever writes it.
    @Test func theDatabaseRefusesTwoClaimsOfOneContent() throws {
        try withLedger { ledger, file in
            _ = try ledger.claim(study: "a", contentHash: "h", owner: "x:1", now: 1)
            #expect(throws: DropFolderError.self) { _ = try ledger.claim(study: "b", contentHash: "h", owner: "y:2", now: 2) }
            // Rows without a content (refused before hashing) are not limited.
            _ = try ledger.claim(study: "c", contentHash: "", owner: "x:1", now: 3)
            _ = try ledger.claim(study: "d", contentHash: "", owner: "x:1", now: 3)
            #expect(try Ledger(file: file).entries().filter { $0.state == .processing }.map(\.study) == ["a", "c", "d"])
        }
    }
}
