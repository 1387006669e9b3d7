#if canImport(Glibc)
import Glibc
#endif

/// Resource limits a daemon sets for itself.
public enum ProcessLimits {
    /// Raises the soft limit on open files to the hard limit, as systemd advises services that need many
    /// descriptors to do (its default soft limit is 1024, for the sake of old select() code; this process
    /// uses epoll). Returns the soft limit now in force.
    @discardableResult
    public static func raiseOpenFiles() -> UInt64 {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &raised) == 0 { return UInt64(raised.rlim_cur) }
        }
        return UInt64(limit.rlim_cur)
    }
}
