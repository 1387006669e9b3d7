/// Fernet authenticated encryption (the spec at github.com/fernet/spec), with several keys like Python's
/// MultiFernet: tokens are made with the first key and opened with any, so keys can be rotated.
public struct Fernet: Sendable {
    public static let maxClockSkew: Int64 = 60
    static let version: UInt8 = 0x80
    static let overhead = 1 + 8 + 16 + 32

    public let keys: [FernetKey]

    public init(keys: [FernetKey]) {
        precondition(!keys.isEmpty, "Fernet needs at least one key")
        self.keys = keys
    }

    public init(key: FernetKey) {
        self.init(keys: [key])
    }

    /// Encrypts with the first key. `iv` and `time` are for known-answer tests; leave them out otherwise.
    public func encrypt(_ plaintext: [UInt8], at time: Int64, iv: [UInt8]? = nil) throws(CryptoError) -> String {
        let key = keys[0]
        let iv = if let iv { iv } else { try SystemRandom.bytes(16) }
        var token: [UInt8] = [Self.version]
        token.reserveCapacity(Self.overhead + plaintext.count + 16)
        for shift in stride(from: 56, through: 0, by: -8) { token.append(UInt8(truncatingIfNeeded: time >> Int64(shift))) }
        token += iv
        token += try AESCBC.encrypt(plaintext, key: key.cipher, iv: iv)
        token += HMACSHA256.authenticationCode(for: token, key: key.signingKey)
        return Base64URL.encode(token)
    }

    /// Verifies and decrypts. With `ttl` (seconds), a token older than that, or stamped more than 60 s ahead
    /// of `now`, is refused. The HMAC is checked, in constant time, before anything is decrypted.
    public func decrypt(_ token: some StringProtocol, ttl: Int64? = nil, now: Int64) throws(FernetError) -> [UInt8] {
        try open(token, ttl: ttl, now: now).plaintext
    }

    /// Re-encrypts a token under the first key, keeping its original timestamp.
    public func rotate(_ token: some StringProtocol, now: Int64) throws(FernetError) -> String {
        let (timestamp, plaintext) = try open(token, ttl: nil, now: now)
        do {
            return try encrypt(plaintext, at: timestamp)
        } catch {
            // Only the kernel's random source can fail here.
            throw FernetError(reason: .malformed, description: "cannot re-encrypt: \(error)")
        }
    }

    private func open(_ token: some StringProtocol, ttl: Int64?, now: Int64) throws(FernetError) -> (timestamp: Int64, plaintext: [UInt8]) {
        guard let data = Base64URL.decode(token) else { throw .notBase64 }
        guard data.count >= Self.overhead + 16, (data.count - Self.overhead) % 16 == 0 else { throw .wrongLength(data.count) }
        guard data[0] == Self.version else { throw .unsupportedVersion }
        var timestamp: Int64 = 0
        for i in 1...8 { timestamp = timestamp << 8 | Int64(data[i]) }
        if let ttl {
            if timestamp &+ ttl < now { throw .expired }
            if now &+ Self.maxClockSkew < timestamp { throw .fromTheFuture }
        }
        let signed = data[0..<(data.count - 32)]
        let mac = data[(data.count - 32)...]
        guard let key = keys.first(where: { constantTimeEquals(HMACSHA256.authenticationCode(for: signed, key: $0.signingKey), mac) }) else {
            throw .badSignature
        }
        do {
            let plaintext = try AESCBC.decrypt(Array(data[25..<(data.count - 32)]), key: key.cipher, iv: Array(data[9..<25]))
            return (timestamp, plaintext)
        } catch {
            throw .badPadding
        }
    }
}
