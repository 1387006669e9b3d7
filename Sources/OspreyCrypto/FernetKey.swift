/// A Fernet key: 16 bytes of HMAC-SHA256 signing key, then 16 bytes of AES-128 key.
public struct FernetKey: Sendable {
    let signingKey: [UInt8]
    let cipher: AES

    public init(bytes: [UInt8]) throws(FernetError) {
        guard bytes.count == 32 else { throw .invalidKey }
        signingKey = Array(bytes[0..<16])
        do {
            cipher = try AES(key: Array(bytes[16..<32]))
        } catch {
            throw .invalidKey
        }
    }

    /// The key as Fernet writes it: 32 bytes in URL-safe base64 with padding.
    public init(base64: some StringProtocol) throws(FernetError) {
        guard let bytes = Base64URL.decode(base64) else { throw .invalidKey }
        try self.init(bytes: bytes)
    }

    /// A new random key and its base64 text (the only form worth storing).
    public static func generate() throws(CryptoError) -> (key: FernetKey, text: String) {
        let bytes = try SystemRandom.bytes(32)
        // 32 random bytes are always a valid key.
        return (try! FernetKey(bytes: bytes), Base64URL.encode(bytes))
    }
}
