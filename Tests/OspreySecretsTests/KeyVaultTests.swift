import OspreyCore
import OspreyCrypto
import OspreySecrets
import Synchronization
import Testing

/// An in-memory repository with the SQLite table's contract.
final class MemoryKeyRepository: ExchangeKeyRepository {
    let records = Mutex<[String: ExchangeKeyRecord]>([:])

    func all() throws -> [ExchangeKeyRecord] { records.withLock { $0.values.sorted { $0.name < $1.name } } }
    func insert(_ record: ExchangeKeyRecord) throws {
        try records.withLock {
            guard $0[record.name] == nil else { throw KeyTestError.duplicate }
            $0[record.name] = record
        }
    }
    func remove(name: String) throws -> Bool { records.withLock { $0.removeValue(forKey: name) != nil } }
    func replaceTokens(_ tokens: [String: String]) throws {
        try records.withLock { records in
            guard Set(records.keys) == Set(tokens.keys) else { throw KeyTestError.conflict }
            for (name, token) in tokens {
                let old = records[name]!
                records[name] = ExchangeKeyRecord(name: name, exchange: old.exchange, token: token, createdAt: old.createdAt, fingerprint: old.fingerprint)
            }
        }
    }
    func tamper(_ name: String) {
        records.withLock {
            let old = $0[name]!
            var bytes = Base64URL.decode(old.token)!
            bytes[40] ^= 1
            $0[name] = ExchangeKeyRecord(name: name, exchange: old.exchange, token: Base64URL.encode(bytes), createdAt: old.createdAt, fingerprint: old.fingerprint)
        }
    }
}

enum KeyTestError: Error { case duplicate, conflict }

@Suite struct KeyVaultTests {
    static let apiKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
    static let apiSecret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"

    func master(_ source: String = "/etc/osprey/master.key") throws -> MasterKeys {
        try MasterKeys(lines: [MasterKeys.generateLine()], source: source)
    }

    @Test func storedKeysAreEncryptedAndOpenOnlyInsideTheClosure() throws {
        let repository = MemoryKeyRepository()
        let vault = KeyVault(repository: repository, master: .success(try master()))
        try vault.add(name: "main", exchange: "binance", credentials: ExchangeCredentials(apiKey: Self.apiKey, apiSecret: Self.apiSecret), now: 1000)

        let record = try #require(try vault.list().first)
        #expect(record.name == "main" && record.exchange == "binance" && record.createdAt == 1000)
        #expect(!record.token.contains(Self.apiSecret) && !record.token.contains(Self.apiKey))
        #expect(record.fingerprint.hasPrefix("sha256:") && record.fingerprint.count == 19)
        #expect(!Self.apiKey.contains(record.fingerprint.dropFirst(7)))
        let secret = try vault.withCredentials("main") { $0.apiSecret }
        #expect(secret == Self.apiSecret)
        #expect("\(ExchangeCredentials(apiKey: Self.apiKey, apiSecret: Self.apiSecret))" == "ExchangeCredentials(redacted)")
        #expect(try vault.verify().allSatisfy { $0.problem == nil })
    }

    @Test func aWrongMasterKeyOrATamperedTokenNamesTheKeyNotItsContent() throws {
        let repository = MemoryKeyRepository()
        let right = KeyVault(repository: repository, master: .success(try master()))
        try right.add(name: "main", exchange: "binance", credentials: ExchangeCredentials(apiKey: Self.apiKey, apiSecret: Self.apiSecret), now: 1)
        try right.add(name: "spare", exchange: "binance", credentials: ExchangeCredentials(apiKey: "k2", apiSecret: "s2"), now: 1)

        let wrong = KeyVault(repository: repository, master: .success(try master("/tmp/other.key")))
        let results = try wrong.verify()
        #expect(results.count == 2)
        let problem = try #require(results[0].problem)
        #expect(problem.reason == "cannot_decrypt")
        #expect(problem.description == "the key main cannot be decrypted: the master key in /tmp/other.key is not the one it was stored with, or the stored token was altered")

        repository.tamper("spare")
        let afterTamper = try right.verify()
        #expect(afterTamper[0].problem == nil)
        #expect(afterTamper[1].problem?.reason == "cannot_decrypt")
        for text in [problem.description, afterTamper[1].problem!.description] {
            #expect(!text.contains(Self.apiSecret) && !text.contains(Self.apiKey) && !text.contains("s2"))
        }
    }

    @Test func rotationIsAllOrNothing() throws {
        let repository = MemoryKeyRepository()
        let old = try master()
        let new = try master("/tmp/new.key")
        let vault = KeyVault(repository: repository, master: .success(old))
        for name in ["a", "b", "c"] {
            try vault.add(name: name, exchange: "binance", credentials: ExchangeCredentials(apiKey: "key-\(name)", apiSecret: "secret-\(name)"), now: 5)
        }
        repository.tamper("b")
        let before = try repository.all()
        #expect(throws: KeyVaultError.self) { try vault.rotate(to: new, now: 6) }
        #expect(try repository.all() == before, "nothing changed")

        let clean = MemoryKeyRepository()
        let vault2 = KeyVault(repository: clean, master: .success(old))
        for name in ["a", "b"] {
            try vault2.add(name: name, exchange: "binance", credentials: ExchangeCredentials(apiKey: "key-\(name)", apiSecret: "secret-\(name)"), now: 5)
        }
        #expect(try vault2.rotate(to: new, now: 6) == 2)
        #expect(try KeyVault(repository: clean, master: .success(new)).withCredentials("b") { $0.apiSecret } == "secret-b")
        #expect(try vault2.verify().allSatisfy { $0.problem?.reason == "cannot_decrypt" }, "the old master key no longer works")
    }

    @Test func badInputAndAMissingMasterKeyAreExplained() throws {
        let repository = MemoryKeyRepository()
        let vault = KeyVault(repository: repository, master: .success(try master()))
        let credentials = ExchangeCredentials(apiKey: "k", apiSecret: "s")
        for (name, exchange, expected) in [
            ("Main", "binance", "a key name is 1 to 64"), ("-x", "binance", "a key name"), ("ok", "kraken", "unknown exchange \"kraken\""),
        ] {
            #expect(throws: KeyVaultError.self) { try vault.add(name: name, exchange: exchange, credentials: credentials, now: 1) }
            do { try vault.add(name: name, exchange: exchange, credentials: credentials, now: 1) } catch {
                #expect("\(error)".contains(expected))
            }
        }
        do {
            try vault.add(name: "ok", exchange: "binance", credentials: ExchangeCredentials(apiKey: "has space", apiSecret: "s"), now: 1)
            Issue.record("accepted a key with a space")
        } catch {
            #expect("\(error)" == "the API key must be 1 to 512 printable ASCII characters without spaces")
        }
        #expect(throws: KeyVaultError.self) { try vault.remove(name: "absent") }

        let keyless = KeyVault(repository: repository, master: .failure(try #require(Self.masterError())))
        do {
            try keyless.add(name: "x", exchange: "binance", credentials: credentials, now: 1)
            Issue.record("added without a master key")
        } catch {
            #expect("\(error)".hasPrefix("no usable master key: key 1 in /etc/osprey/master.key is not a Fernet key"))
        }
    }

    static func masterError() -> KeyVaultError? {
        do {
            _ = try MasterKeys(lines: ["not a key"], source: "/etc/osprey/master.key")
            return nil
        } catch {
            return error
        }
    }
}
