#if canImport(Glibc)
import Glibc
#endif
import OspreyCore

extension WallClock {
    /// `CLOCK_REALTIME`.
    public static let system = WallClock {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
