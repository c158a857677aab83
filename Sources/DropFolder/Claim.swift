import Foundation
import Support

/// A study taken by one watcher: the atomic rename of `inbox/<name>` to `processing/<name>` is
/// the claim (of two watchers racing, one rename succeeds), and `processing/.<name>.claim`
/// records who holds it, so a claim left by a dead watcher can be recognised and taken back.
struct Claim: Sendable {
    let name: String
    let folder: URL
    let owner: ClaimOwner

    /// Claims `name`; nil when another watcher was faster (the study is gone from the inbox)
    /// or a study of that name is already being processed.
    static func take(_ name: String, settings: WatchSettings, owner: ClaimOwner) throws -> Claim? {
        let from = settings.inbox.appendingPathComponent(name)
        let to = settings.processing.appendingPathComponent(name)
        guard rename(from.path, to.path) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTEMPTY || code == EEXIST { return nil }
            throw DropFolderError.move(from: from.path, to: to.path, reason: String(cString: strerror(code)))
        }
        let claim = Claim(name: name, folder: to, owner: owner)
        try AtomicFile.write(owner.encoded(), to: Claim.ownerFile(name, settings: settings))
        return claim
    }

    static func ownerFile(_ name: String, settings: WatchSettings) -> URL {
        settings.processing.appendingPathComponent(".\(name).claim")
    }

    func release(settings: WatchSettings) {
        try? FileManager.default.removeItem(at: Claim.ownerFile(name, settings: settings))
    }
}

/// Who holds a claim: host name, process id and when it was taken.
struct ClaimOwner: Sendable, Equatable {
    let host: String
    let pid: Int32
    let since: Double

    static func current(now: Double = Date().timeIntervalSince1970) -> ClaimOwner {
        ClaimOwner(host: ProcessInfo.processInfo.hostName, pid: getpid(), since: now)
    }

    var label: String { "\(host):\(pid)" }

    func encoded() -> String {
        JSONValue.object([("host", .string(host)), ("pid", .integer(Int(pid))), ("since", .number(since))]).serialized() + "\n"
    }

    static func read(_ url: URL) -> ClaimOwner? {
        guard let data = FileManager.default.contents(atPath: url.path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let host = object["host"] as? String, let pid = object["pid"] as? Int,
              let since = object["since"] as? Double else { return nil }
        return ClaimOwner(host: host, pid: Int32(pid), since: since)
    }

    /// True when the holder is certainly gone: a process of this host that no longer exists,
    /// or (another host, which we cannot ask) a claim older than `staleAfter` seconds.
    func isStale(now: Double, staleAfter: Double) -> Bool {
        if host == ProcessInfo.processInfo.hostName {
            if pid == getpid() { return false }
            return kill(pid, 0) != 0 && errno == ESRCH
        }
        return now - since > staleAfter
    }
}

extension ClaimOwner {
    /// The holder a ledger row names by its `label` ("host:pid"); nil when the text is not one.
    init?(label: String, since: Double) {
        guard let colon = label.lastIndex(of: ":"), let pid = Int32(label[label.index(after: colon)...]) else { return nil }
        self.init(host: String(label[..<colon]), pid: pid, since: since)
    }
}
