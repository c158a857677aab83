import Foundation
import GRDB

/// The watcher's memory, one row per study claim, in SQLite (WAL, so several watcher processes
/// share it): content hash, state, attempts, stage timings and the error in words.
///
/// States: `processing` → `reported` | `failed` | `duplicate` (content already reported) |
/// `released` (claim given back at shutdown or taken back from a dead worker, redone later).
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

    /// Records a claim; attempts counts this study's earlier released rows.
    public func claim(study: String, contentHash: String, owner: String, now: Double) throws -> Int64 {
        try write { db in
            let earlier = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM studies WHERE contentHash = ? AND state = 'released'",
                                           arguments: [contentHash]) ?? 0
            try db.execute(sql: "INSERT INTO studies (study, contentHash, state, attempts, owner, claimedAt) VALUES (?, ?, 'processing', ?, ?, ?)",
                           arguments: [study, contentHash, earlier + 1, owner, now])
            return db.lastInsertedRowID
        }
    }

    /// The ledger row of a content already reported, if any.
    public func reported(contentHash: String) throws -> Entry? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM studies WHERE contentHash = ? AND state = 'reported' ORDER BY id LIMIT 1",
                             arguments: [contentHash]).map(Ledger.entry)
        }
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
