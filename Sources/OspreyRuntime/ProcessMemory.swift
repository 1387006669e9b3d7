import CMalloc

/// glibc malloc settings for a daemon whose scans allocate large, short-lived buffers (a DEX reply, its
/// parse tape, the decoded pairs: megabytes each).
public enum ProcessMemory {
    /// Allocations of 128 KiB or more get their own mapping and go back to the system when freed. glibc's
    /// default raises that threshold after the first such free, so later scans' buffers come from the heap
    /// and stay resident after the scan: with 10,000 tracked tokens that was 40–60 MB of RSS holding
    /// nothing. Call once, before other threads start.
    public static func returnLargeBuffersToTheSystem() {
        _ = osprey_malloc_set_mmap_threshold(128 * 1024)
    }
}
