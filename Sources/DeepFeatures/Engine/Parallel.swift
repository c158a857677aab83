internal import CDNNL

/// Splits a loop over `count` independent items into contiguous chunks, one per thread of an
/// OpenMP team (libgomp's `GOMP_parallel`, what `#pragma omp parallel` compiles to).
///
/// Our loops (pooling, layer norm, gating) thus run on the very threads oneDNN's kernels use,
/// between its calls: no second thread pool competes with OpenMP's spinning workers, and the
/// cores are never oversubscribed.
enum Parallel {
    /// What each team member needs: the loop body and the item count.
    private struct Job {
        let body: (Range<Int>) -> Void
        let count: Int
    }

    /// Calls `body(range)` once per team member, concurrently when `threads > 1`.
    static func forEachChunk(count: Int, threads: Int, _ body: (Range<Int>) -> Void) {
        let team = max(1, min(threads, count))
        if team == 1 {
            body(0..<count)
            return
        }
        withoutActuallyEscaping(body) { escapable in
            var job = Job(body: escapable, count: count)
            withUnsafeMutablePointer(to: &job) { pointer in
                GOMP_parallel({ raw in
                    guard let job = raw?.assumingMemoryBound(to: Job.self).pointee else { return }
                    let member = Int(omp_get_thread_num()), size = Int(omp_get_num_threads())
                    let lo = job.count * member / size, hi = job.count * (member + 1) / size
                    if lo < hi { job.body(lo..<hi) }
                }, UnsafeMutableRawPointer(pointer), UInt32(team), 0)
            }
        }
    }
}

/// Carries a pointer into the team's closure; the members write disjoint ranges, which is
/// what makes this sound.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
