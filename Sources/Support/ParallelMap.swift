import Foundation

/// Maps independent work items over the machine's cores, keeping the input order in the result
/// and rethrowing the error of the first failing item (by index).
public enum ParallelMap {
    /// `body` over `items` with at most `width` items in flight (default: one per core).
    public static func map<T: Sendable, R: Sendable>(_ items: [T], width: Int? = nil,
                                                     _ body: @Sendable (T) throws -> R) throws -> [R] {
        let slots = LockBox<[Result<R, Error>?]>(Array(repeating: nil, count: items.count))
        let lanes = max(1, min(width ?? ProcessInfo.processInfo.activeProcessorCount, items.count))
        let next = LockBox(0)
        DispatchQueue.concurrentPerform(iterations: lanes) { _ in
            while true {
                let i = next.withLock { n -> Int in defer { n += 1 }; return n }
                guard i < items.count else { return }
                let r = Result { try body(items[i]) }
                slots.withLock { $0[i] = r }
            }
        }
        return try slots.value.map { try $0!.get() }
    }
}

/// A value guarded by a lock, shared between concurrent workers.
public final class LockBox<Value>: @unchecked Sendable {
    private var stored: Value
    private let lock = NSLock()

    public init(_ value: Value) { stored = value }

    /// Runs `body` with exclusive access to the value.
    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&stored)
    }

    /// A copy of the current value.
    public var value: Value { withLock { $0 } }
}
