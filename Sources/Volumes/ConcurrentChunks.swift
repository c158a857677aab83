import Dispatch
import Foundation

/// Runs `body` over `count` items split into contiguous chunks, on up to `threads` threads.
/// Used by the per-voxel loops of this room (smoothing, resampling, the registration metric).
enum ConcurrentChunks {
    /// Threads to use by default: one per active core.
    static var defaultThreads: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// `threads` with ≤ 0 read as "one per active core".
    static func resolve(_ threads: Int) -> Int { threads > 0 ? threads : defaultThreads }

    /// Calls `body(chunkIndex, range)` for `chunks` contiguous ranges covering 0..<count;
    /// `threads` ≤ 0 means one per active core, 1 runs on the caller's thread.
    static func run(count: Int, chunks: Int, threads: Int, _ body: @Sendable (Int, Range<Int>) -> Void) {
        let chunks = max(1, min(chunks, count))
        let threads = resolve(threads)
        @Sendable func range(_ c: Int) -> Range<Int> { (count * c / chunks)..<(count * (c + 1) / chunks) }
        if threads <= 1 || chunks == 1 {
            for c in 0..<chunks { body(c, range(c)) }
            return
        }
        DispatchQueue.concurrentPerform(iterations: chunks) { c in body(c, range(c)) }
    }
}

/// A raw buffer address shared by workers that write disjoint elements.
struct SharedBuffer<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
    init(_ base: UnsafeMutablePointer<T>) { self.base = base }
    subscript(i: Int) -> T {
        @inline(__always) get { base[i] }
        @inline(__always) nonmutating set { base[i] = newValue }
    }
}
