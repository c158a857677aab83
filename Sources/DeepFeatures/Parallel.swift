import Dispatch

/// Splits a loop over `count` independent items into `threads` contiguous chunks.
///
/// Used only between oneDNN calls, never during one, so our threads and oneDNN's OpenMP
/// threads take turns on the cores instead of oversubscribing them.
enum Parallel {
    /// Calls `body(range)` once per chunk, concurrently when `threads > 1`.
    static func forEachChunk(count: Int, threads: Int, _ body: (Range<Int>) -> Void) {
        let chunks = max(1, min(threads, count))
        if chunks == 1 {
            body(0..<count)
            return
        }
        withoutActuallyEscaping(body) { escapable in
            let box = UncheckedBox(escapable)
            DispatchQueue.concurrentPerform(iterations: chunks) { i in
                let lo = count * i / chunks, hi = count * (i + 1) / chunks
                box.value(lo..<hi)
            }
        }
    }
}

/// Carries a value across the concurrency boundary of `concurrentPerform`; the chunks
/// write disjoint ranges, which is what makes this sound.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
