#if canImport(Glibc)
import Glibc
#endif

/// The wall clock, for cache expiry and HTTP dates.
public enum ProcessClock {
    public static var unixTime: Double {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
