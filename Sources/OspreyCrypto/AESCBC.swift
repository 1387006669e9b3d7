/// AES in CBC mode (NIST SP 800-38A), with or without PKCS#7 padding.
public enum AESCBC {
    /// Encrypts whole blocks; `plaintext.count` must be a multiple of 16.
    public static func encryptBlocks(_ plaintext: [UInt8], key: AES, iv: [UInt8]) throws(CryptoError) -> [UInt8] {
        guard iv.count == 16 else { throw .invalidIVLength(iv.count) }
        guard plaintext.count % 16 == 0 else { throw .invalidCiphertextLength(plaintext.count) }
        var out = [UInt8](repeating: 0, count: plaintext.count)
        var chain = iv.withUnsafeBytes { BitslicedState(bytes: $0) }
        plaintext.withUnsafeBytes { input in
            out.withUnsafeMutableBytes { output in
                for offset in stride(from: 0, to: input.count, by: 16) {
                    let block = BitslicedState(bytes: UnsafeRawBufferPointer(rebasing: input[offset..<offset + 16]))
                    chain = key.encrypt(block ^ chain)
                    chain.store(into: UnsafeMutableRawBufferPointer(rebasing: output[offset..<offset + 16]))
                }
            }
        }
        return out
    }

    /// Decrypts whole blocks; no padding is removed.
    public static func decryptBlocks(_ ciphertext: [UInt8], key: AES, iv: [UInt8]) throws(CryptoError) -> [UInt8] {
        guard iv.count == 16 else { throw .invalidIVLength(iv.count) }
        guard !ciphertext.isEmpty, ciphertext.count % 16 == 0 else { throw .invalidCiphertextLength(ciphertext.count) }
        var out = [UInt8](repeating: 0, count: ciphertext.count)
        var previous = iv.withUnsafeBytes { BitslicedState(bytes: $0) }
        ciphertext.withUnsafeBytes { input in
            out.withUnsafeMutableBytes { output in
                for offset in stride(from: 0, to: input.count, by: 16) {
                    let block = BitslicedState(bytes: UnsafeRawBufferPointer(rebasing: input[offset..<offset + 16]))
                    (key.decrypt(block) ^ previous).store(into: UnsafeMutableRawBufferPointer(rebasing: output[offset..<offset + 16]))
                    previous = block
                }
            }
        }
        return out
    }

    /// Pads with PKCS#7 (1–16 bytes of value n) and encrypts.
    public static func encrypt(_ plaintext: [UInt8], key: AES, iv: [UInt8]) throws(CryptoError) -> [UInt8] {
        let padding = 16 - plaintext.count % 16
        return try encryptBlocks(plaintext + [UInt8](repeating: UInt8(padding), count: padding), key: key, iv: iv)
    }

    /// Decrypts and removes PKCS#7 padding, checking it without branching on the plaintext's bytes.
    /// The padding is removed in place: the plaintext is never copied, so the caller can wipe its one buffer.
    public static func decrypt(_ ciphertext: [UInt8], key: AES, iv: [UInt8]) throws(CryptoError) -> [UInt8] {
        var padded = try decryptBlocks(ciphertext, key: key, iv: iv)
        let n = padded[padded.count - 1]
        // bad != 0 if n is 0 or above 16, or if any of the last n bytes differs from n.
        var bad = UInt8(truncatingIfNeeded: (Int(n) - 1) >> 8) | UInt8(truncatingIfNeeded: (16 - Int(n)) >> 8)
        for i in 1...16 {
            let inPadding = UInt8(truncatingIfNeeded: (Int(n) - i) >> 8) ^ 0xFF  // 0xFF when i <= n
            bad |= inPadding & (padded[padded.count - i] ^ n)
        }
        guard bad == 0 else {
            padded.wipe()
            throw .badPadding
        }
        padded.removeLast(Int(n))
        return padded
    }
}
