internal import CDNNL

/// A process-wide choice for commands that run many forward passes (embed, bench, train,
/// predict): glibc serves every allocation from the heap and never gives its top back, so the
/// activation buffers a forward pass frees are reused by the next one instead of being mapped
/// and zero-filled by the kernel again (measured: ~40 % of EfficientNet-B0's CPU time was page
/// faults on fresh 10–40 MB buffers). The process then keeps its peak heap, so a long-running
/// process (the drop-folder watcher) must not opt in: it runs each study in a child process.
public enum AllocatorPolicy {
    /// Opts this process in; call once, early, before the first network runs.
    public static func keepFreedBuffers() {
        cdnnl_keep_freed_buffers()
    }
}
