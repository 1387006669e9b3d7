#if canImport(Glibc)
import Glibc
#endif

extension Array where Element == UInt8 {
    /// Overwrites every byte with zero before the buffer is freed (`explicit_bzero`, which the compiler may
    /// not drop as a dead store): a decrypted secret leaves nothing behind in freed heap memory.
    public mutating func wipe() {
        withUnsafeMutableBytes { bytes in
            if let base = bytes.baseAddress { explicit_bzero(base, bytes.count) }
        }
    }
}
