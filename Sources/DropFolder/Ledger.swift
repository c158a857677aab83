import Foundation
import GRDB

/// The watcher's memory, one row per study claim, in SQLite (WAL, so several watcher processes
/// share it): content hash, state, attempts, stage timings and the error in words.
///
/// States: `processing` → `reported` | `failed` | `duplicate` (content already reported) |
/// `released` (claim given back at shutdown or taken back from a dead worker, redone later).
///
/// The ledger is the shared truth about content: at most one `processing` row per content hash
/// (a UNIQUE partial index), and `claim(study:contentHash:…)` looks for a reported or in-hand
/// twin and inserts its row in one `BEGIN IMMEDIATE` transaction, so of two watchers (or two
/// workers) holding identical studies at the same moment exactly one processes its study.
public final class Ledger: Sendable {
    public enum State: String, Sendable, CaseIterable {
        case processing, reported, failed, duplicate, released
    }

    /// One row, as `status` shows it.
    public struct Entry: Sendable, Equatable {
        public var id: Int64
        public var study: String
        public var contentHash: String
        public var state: State
        public var attempts: Int
        public var owner: String
        public var claimedAt: Double
        public var finishedAt: Double?
        public var seconds: Double?
        public var timings: String?
        public var error: String?
    }

    /// What `claim(study:contentHash:owner:now:holderIsGone:)` found for a study's content.
    public enum ContentClaim: Sendable, Equatable {
        /// A new `processing` row: the caller processes the study.
        case claimed(id: Int64, attempts: Int)
        /// The same content was reported before: a `duplicate` row was recorded (the caller
        /// archives the inputs, then `finish`es the row).
        case alreadyReported(id: Int64)
        /// The same content is being processed under another claim whose holder is alive:
        /// nothing was recorded; the caller gives its claim back and tries again later.
        case inHand(Entry)
    }

    private let pool: DatabasePool
    public let path: String

    public init(file: URL) throws {
        path = file.path
        var config = Configuration()
        config.busyMode = .timeout(30)
        do {
            pool = try DatabasePool(path: file.path, configuration: config)
            var migrator = DatabaseMigrator()
            migrator.registerMigration("v1") { db in
                try db.execute(sql: """
                    CREATE TABLE studies (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        study TEXT NOT NULL,
                        contentHash TEXT NOT NULL,
                        state TEXT NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 1,
                        owner TEXT NOT NULL,
                        claimedAt REAL NOT NULL,
                        finishedAt REAL,
                        seconds REAL,
                        timings TEXT,
                        error TEXT
                    );
                    CREATE INDEX studies_hash ON studies(contentHash, state);
                    CREATE INDEX studies_study ON studies(study, state);
                    """)
            }
            migrator.registerMigration("v2: one claim per content") { db in
                // Rows left `processing` twice for one content by an earlier version (which
                // checked only reported content) would block the index: all but the first are
                // released; the stale-claim recovery redoes their studies.
                try db.execute(sql: """
                    UPDATE studies SET state = 'released', error = 'a second claim of the same content (ledger upgrade)'
                    WHERE state = 'processing' AND contentHash != '' AND id NOT IN (
                        SELECT MIN(id) FROM studies WHERE state = 'processing' AND contentHash != '' GROUP BY contentHash);
                    CREATE UNIQUE INDEX studies_one_claim_per_content ON studies(contentHash)
                        WHERE state = 'processing' AND contentHash != '';
                    """)
            }
            try migrator.migrate(pool)
        } catch {
            throw DropFolderError.ledger(path: file.path, reason: "\(error)")
        }
    }

    private func write<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.write(body) } catch { throw DropFolderError.ledger(path: path, reason: "\(error)") }
    }

    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.read(body) } catch { throw DropFolderError.ledger(path: path, reason: "\(error)") }
    }

    /// Records a claim without looking at its content (a study refused before it could be
    /// hashed, an unsafe inbox entry); attempts counts the content's earlier released rows.
    public func claim(study: String, contentHash: String, owner: String, now: Double) throws -> Int64 {
        try write { db in try Ledger.insert(db, study: study, contentHash: contentHash, state: .processing, owner: owner, now: now).id }
    }

    /// Claims a study's content, in one `BEGIN IMMEDIATE` transaction (SQLite's write lock, held
    /// across processes, so the look and the insert cannot interleave with another watcher's):
    /// - content already reported → a `duplicate` row;
    /// - content `processing` under another row → `inHand`, unless `holderIsGone` says that
    ///   row's holder died and left nothing the stale-claim recovery would redo (the row is then
    ///   released, and this claim proceeds);
    /// - otherwise a `processing` row (attempts: the content's earlier released rows + 1).
    public func claim(study: String, contentHash: String, owner: String, now: Double,
                      holderIsGone: (Entry) -> Bool) throws -> ContentClaim {
        precondition(!contentHash.isEmpty, "a content claim needs the content hash")
        do {
            return try pool.writeWithoutTransaction { db in
                var outcome = ContentClaim.alreadyReported(id: 0)
                try db.inTransaction(.immediate) {
                    if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM studies WHERE contentHash = ? AND state = 'reported')",
                                         arguments: [contentHash]) == true {
                        let id = try Ledger.insert(db, study: study, contentHash: contentHash, state: .duplicate, owner: owner, now: now).id
                        outcome = .alreadyReported(id: id)
                        return .commit
                    }
                    let holders = try Row.fetchAll(db, sql: "SELECT * FROM studies WHERE contentHash = ? AND state = 'processing'",
                                                   arguments: [contentHash]).map(Ledger.entry)
                    if let alive = holders.first(where: { !holderIsGone($0) }) {
                        outcome = .inHand(alive)
                        return .commit
                    }
                    for gone in holders {
                        try db.execute(sql: "UPDATE studies SET state = 'released', finishedAt = ?, error = ? WHERE id = ?",
                                       arguments: [now, "its holder (\(gone.owner)) stopped and the claim was gone; the same images were claimed again", gone.id])
                    }
                    let row = try Ledger.insert(db, study: study, contentHash: contentHash, state: .processing, owner: owner, now: now)
                    outcome = .claimed(id: row.id, attempts: row.attempts)
                    return .commit
                }
                return outcome
            }
        } catch {
            throw DropFolderError.ledger(path: path, reason: "\(error)")
        }
    }

    private static func insert(_ db: Database, study: String, contentHash: String, state: State, owner: String,
                               now: Double) throws -> (id: Int64, attempts: Int) {
        let earlier = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM studies WHERE contentHash = ? AND state = 'released'",
                                       arguments: [contentHash]) ?? 0
        try db.execute(sql: "INSERT INTO studies (study, contentHash, state, attempts, owner, claimedAt) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [study, contentHash, state.rawValue, earlier + 1, owner, now])
        return (db.lastInsertedRowID, earlier + 1)
    }

    /// Closes a claim with its outcome.
    public func finish(id: Int64, state: State, now: Double, seconds: Double?, timings: String? = nil, error: String? = nil) throws {
        try write { db in
            try db.execute(sql: "UPDATE studies SET state = ?, finishedAt = ?, seconds = ?, timings = ?, error = ? WHERE id = ?",
                           arguments: [state.rawValue, now, seconds, timings, error, id])
        }
    }

    /// Rows still `processing` for `study` (a claim left by a dead worker).
    public func openClaims(study: String) throws -> [Entry] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM studies WHERE study = ? AND state = 'processing'", arguments: [study]).map(Ledger.entry)
        }
    }

    /// One row by its id.
    public func entry(id: Int64) throws -> Entry? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM studies WHERE id = ?", arguments: [id]).map(Ledger.entry) }
    }

    /// Every row, oldest first.
    public func entries() throws -> [Entry] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM studies ORDER BY id").map(Ledger.entry) }
    }

    private static func entry(_ row: Row) -> Entry {
        Entry(id: row["id"], study: row["study"], contentHash: row["contentHash"],
              state: State(rawValue: row["state"]) ?? .failed, attempts: row["attempts"], owner: row["owner"],
              claimedAt: row["claimedAt"], finishedAt: row["finishedAt"], seconds: row["seconds"],
              timings: row["timings"], error: row["error"])
    }
}
