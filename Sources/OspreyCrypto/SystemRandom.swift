import CGetRandom

#if canImport(Glibc)
import Glibc
#endif

/// Random bytes from the kernel's CSPRNG via getrandom(2), retried on interruption.
public enum SystemRandom {
    public static func bytes(_ count: Int) throws(CryptoError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let result = out.withUnsafeMutableBytes { buffer in
                osprey_getrandom(buffer.baseAddress! + filled, count - filled)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw .randomUnavailable(String(cString: strerror(errno)))
            }
            filled += result
        }
        return out
    }
}
