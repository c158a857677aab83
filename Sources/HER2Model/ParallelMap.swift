import Foundation

/// Maps independent work items over the machine's cores, keeping the input order in the result
/// and rethrowing the error of the first failing item (by index).
enum ParallelMap {
    static func map<T: Sendable, R: Sendable>(_ items: [T], _ body: @Sendable (T) throws -> R) throws -> [R] {
        let slots = Slots<R>(count: items.count)
        DispatchQueue.concurrentPerform(iterations: items.count) { i in
            slots.set(i, Result { try body(items[i]) })
        }
        return try slots.values.map { try $0!.get() }
    }

    /// Result slots written by concurrent workers under a lock.
    private final class Slots<R>: @unchecked Sendable {
        private(set) var values: [Result<R, Error>?]
        private let lock = NSLock()
        init(count: Int) { values = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ r: Result<R, Error>) { lock.withLock { values[i] = r } }
    }
}
