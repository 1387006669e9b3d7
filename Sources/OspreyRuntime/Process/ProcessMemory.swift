import CMalloc

/// glibc malloc settings for a daemon whose scans allocate large, short-lived buffers (a DEX reply, its
/// parse tape, the decoded pairs: megabytes each) on whichever thread runs the scan.
public enum ProcessMemory {
    /// Call once, before other threads start.
    ///
    /// - Allocations of 128 KiB or more get their own mapping and go back to the system when freed. glibc's
    ///   default raises that threshold after the first such free, so later scans' buffers come from the heap
    ///   and stay resident after the scan: with 10,000 tracked tokens that was 40–60 MB of RSS holding
    ///   nothing.
    /// - At most two heaps. glibc gives threads up to eight per core, and the tracked set, its history and the
    ///   store's row map, built on different threads of the pool, left partly empty pages in each: 7–15 MB
    ///   more RSS after the same scans, varying from run to run.
    public static func tuneAllocator() {
        _ = osprey_malloc_set_mmap_threshold(128 * 1024)
        _ = osprey_malloc_set_arena_max(2)
    }
}
