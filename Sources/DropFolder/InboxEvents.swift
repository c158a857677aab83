import Foundation

/// Wakes the watcher when something arrives in the inbox (Linux inotify on the inbox folder),
/// or after `pollSeconds` in any case: polling is the fallback where inotify is unavailable
/// (network file systems, other systems) and the settle clock needs ticks anyway.
final class InboxEvents: @unchecked Sendable {
    private let fd: Int32

    init(inbox: URL) {
        #if os(Linux)
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        if fd >= 0 {
            let mask = UInt32(IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_FROM)
            if inotify_add_watch(fd, inbox.path, mask) < 0 { close(fd); self.fd = -1 } else { self.fd = fd }
        } else {
            self.fd = -1
        }
        #else
        fd = -1
        #endif
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Whether file events are seen (else the watcher only polls).
    var isNotifying: Bool { fd >= 0 }

    /// Returns when an event arrived or `seconds` passed (events are drained).
    func wait(seconds: Double) {
        guard fd >= 0 else {
            usleep(UInt32(max(0, min(seconds, 60)) * 1e6))
            return
        }
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        _ = poll(&p, 1, Int32(seconds * 1000))
        var buffer = [UInt8](repeating: 0, count: 4096)
        while read(fd, &buffer, buffer.count) > 0 {}
    }
}
