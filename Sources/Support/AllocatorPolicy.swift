import Foundation

/// A process-wide choice for commands that allocate and free the same large buffers over and
/// over (embed, bench, train, predict: a network's activations; convert: one decoded file after
/// another): glibc serves every allocation from the heap and never gives its top back, so freed
/// buffers are reused instead of being mapped and zero-filled by the kernel again (measured:
/// ~40 % of EfficientNet-B0's CPU time was page faults on fresh 10–40 MB buffers; a 500-slice
/// conversion's system time 0.8 → 0.55 s). The process then keeps its peak heap, so a
/// long-running process (the drop-folder watcher) must not opt in: it runs each study in a
/// child process. Commands opt in; libraries never do.
public enum AllocatorPolicy {
    /// Opts this process in; call once, early, before the first large allocation.
    public static func keepFreedBuffers() {
        #if canImport(Glibc)
        // mallopt(3) is not in Swift's Glibc module (malloc.h): look it up. Parameter codes are
        // glibc's malloc.h values M_TRIM_THRESHOLD = -1 and M_MMAP_MAX = -4.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }  // RTLD_DEFAULT
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        _ = mallopt(-4, 0)
        _ = mallopt(-1, Int32.max)
        #endif
    }
}
