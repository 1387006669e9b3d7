/// A cryptographic failure. Messages name the problem, never key or plaintext material.
public struct CryptoError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Sendable, Equatable {
        case invalidKeyLength, invalidIVLength, invalidCiphertextLength, badPadding, randomUnavailable
    }

    private let code: Code
    public let description: String

    static func invalidKeyLength(_ count: Int) -> CryptoError {
        CryptoError(code: .invalidKeyLength, description: "an AES key must be 16 or 32 bytes, not \(count)")
    }

    static func invalidIVLength(_ count: Int) -> CryptoError {
        CryptoError(code: .invalidIVLength, description: "a CBC initialization vector must be 16 bytes, not \(count)")
    }

    static func invalidCiphertextLength(_ count: Int) -> CryptoError {
        CryptoError(code: .invalidCiphertextLength, description: "CBC ciphertext must be a non-empty multiple of 16 bytes, not \(count)")
    }

    static let badPadding = CryptoError(code: .badPadding, description: "the decrypted data has invalid PKCS#7 padding")

    static func randomUnavailable(_ reason: String) -> CryptoError {
        CryptoError(code: .randomUnavailable, description: "the kernel's random source failed: \(reason)")
    }
}
