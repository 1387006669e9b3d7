import OspreyCore
import OspreyCrypto

/// Exchange API keys encrypted under the master key. Plaintext credentials exist only inside
/// `withCredentials`, for as long as its body runs.
public struct KeyVault: Sendable {
    private let repository: any ExchangeKeyRepository
    /// The master keys, or why there are none.
    private let master: Result<MasterKeys, KeyVaultError>

    public init(repository: any ExchangeKeyRepository, master: Result<MasterKeys, KeyVaultError>) {
        self.repository = repository
        self.master = master
    }

    private func requireMaster() throws(KeyVaultError) -> MasterKeys {
        try master.get()
    }

    public func list() throws -> [ExchangeKeyRecord] {
        try repository.all()
    }

    /// Encrypts and stores new credentials.
    public func add(name: String, exchange: String, credentials: ExchangeCredentials, now: Int64) throws {
        if let problem = ExchangeKeyRules.nameProblem(name) { throw KeyVaultError.invalid(problem) }
        if let problem = ExchangeKeyRules.exchangeProblem(exchange) { throw KeyVaultError.invalid(problem) }
        if let problem = ExchangeKeyRules.credentialProblem(credentials.apiKey, what: "API key") { throw KeyVaultError.invalid(problem) }
        if let problem = ExchangeKeyRules.credentialProblem(credentials.apiSecret, what: "API secret") { throw KeyVaultError.invalid(problem) }
        let master = try requireMaster()
        let token = try master.fernet.encrypt(Array("\(credentials.apiKey)\n\(credentials.apiSecret)".utf8), at: now)
        try repository.insert(ExchangeKeyRecord(
            name: name, exchange: exchange, token: token, createdAt: now,
            fingerprint: Self.fingerprint(apiKey: credentials.apiKey)))
    }

    public func remove(name: String) throws {
        guard try repository.remove(name: name) else { throw KeyVaultError.unknownKey(name) }
    }

    /// Decrypts one key's credentials for the duration of `body`.
    public func withCredentials<T>(_ name: String, _ body: (ExchangeCredentials) throws -> T) throws -> T {
        guard let record = try repository.all().first(where: { $0.name == name }) else { throw KeyVaultError.unknownKey(name) }
        return try body(try credentials(record, with: requireMaster()))
    }

    /// Tries to decrypt every key; each result says whether it can be used. The plaintext is checked as
    /// bytes and wiped: a check (at start, on every reload) leaves no copy of a key in memory.
    public func verify() throws -> [(record: ExchangeKeyRecord, problem: KeyVaultError?)] {
        try repository.all().map { record in
            do throws(KeyVaultError) {
                var plaintext = try open(record, with: requireMaster())
                plaintext.wipe()
                return (record, nil)
            } catch {
                return (record, error)
            }
        }
    }

    /// Re-encrypts every key under `newMaster`'s first key in one transaction. If any key cannot be
    /// decrypted with the current master key, nothing changes.
    public func rotate(to newMaster: MasterKeys, now: Int64) throws -> Int {
        let master = try requireMaster()
        var tokens: [String: String] = [:]
        for record in try repository.all() {
            var plaintext = try open(record, with: master)
            defer { plaintext.wipe() }
            tokens[record.name] = try newMaster.fernet.encrypt(plaintext, at: now)
        }
        try repository.replaceTokens(tokens)
        return tokens.count
    }

    /// The record's plaintext, `key\nsecret`, checked for that shape; the caller wipes it.
    private func open(_ record: ExchangeKeyRecord, with master: MasterKeys) throws(KeyVaultError) -> [UInt8] {
        var plaintext: [UInt8]
        do {
            plaintext = try master.fernet.decrypt(record.token, now: 0)
        } catch {
            throw .cannotDecrypt(record.name, error.reason == .badSignature
                ? "the master key in \(master.source) is not the one it was stored with, or the stored token was altered"
                : error.description)
        }
        guard let newline = plaintext.firstIndex(of: UInt8(ascii: "\n")), newline > 0, newline < plaintext.count - 1 else {
            plaintext.wipe()
            throw .cannotDecrypt(record.name, "the decrypted record is not a key and a secret")
        }
        return plaintext
    }

    /// The credentials, for the exchange client that signs with them; the plaintext bytes are wiped.
    private func credentials(_ record: ExchangeKeyRecord, with master: MasterKeys) throws(KeyVaultError) -> ExchangeCredentials {
        var plaintext = try open(record, with: master)
        defer { plaintext.wipe() }
        let newline = plaintext.firstIndex(of: UInt8(ascii: "\n"))!
        return ExchangeCredentials(
            apiKey: String(decoding: plaintext[..<newline], as: UTF8.self), apiSecret: String(decoding: plaintext[(newline + 1)...], as: UTF8.self))
    }

    /// `sha256:` and the first 12 hex digits of the API key's SHA-256: tells keys apart, reveals nothing usable.
    public static func fingerprint(apiKey: String) -> String {
        "sha256:" + SHA256.hash(Array(apiKey.utf8)).prefix(6).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
