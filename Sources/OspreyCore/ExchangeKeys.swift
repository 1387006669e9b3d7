/// An exchange API key as stored: the Fernet token of its credentials, never the credentials themselves.
public struct ExchangeKeyRecord: Sendable, Equatable {
    public let name: String
    public let exchange: String
    public let token: String
    /// Unix seconds.
    public let createdAt: Int64
    /// A non-secret identifier (a prefix of the API key's SHA-256) to tell keys apart.
    public let fingerprint: String

    public init(name: String, exchange: String, token: String, createdAt: Int64, fingerprint: String) {
        self.name = name
        self.exchange = exchange
        self.token = token
        self.createdAt = createdAt
        self.fingerprint = fingerprint
    }
}

/// Where key records live (the SQLite adapter implements it). Every method is one transaction.
public protocol ExchangeKeyRepository: Sendable {
    func all() throws -> [ExchangeKeyRecord]
    /// Fails if the name is taken.
    func insert(_ record: ExchangeKeyRecord) throws
    /// Returns false if there was no such key.
    func remove(name: String) throws -> Bool
    /// Replaces the tokens of the named keys, all or none (rotation).
    func replaceTokens(_ tokens: [String: String]) throws
}

/// API credentials in memory, briefly. They print as redacted, so they cannot slip into a log line.
public struct ExchangeCredentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let apiKey: String
    public let apiSecret: String

    public init(apiKey: String, apiSecret: String) {
        self.apiKey = apiKey
        self.apiSecret = apiSecret
    }

    public var description: String { "ExchangeCredentials(redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

public enum ExchangeKeyRules {
    public static let exchanges = ["binance"]

    /// `[a-z0-9][a-z0-9_-]{0,63}`: safe in file names, metric labels and journal fields.
    public static func nameProblem(_ name: String) -> String? {
        let allowed = name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
        guard !name.isEmpty, name.count <= 64, allowed, let first = name.unicodeScalars.first, first != "-", first != "_" else {
            return "a key name is 1 to 64 characters of a-z, 0-9, '-' and '_', starting with a letter or digit"
        }
        return nil
    }

    public static func exchangeProblem(_ exchange: String) -> String? {
        exchanges.contains(exchange) ? nil : "unknown exchange \"\(exchange)\"; supported: \(exchanges.joined(separator: ", "))"
    }

    /// API keys and secrets are printable ASCII without spaces (what exchanges issue), 1 to 512 characters.
    public static func credentialProblem(_ value: String, what: String) -> String? {
        let printable = value.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F }
        guard !value.isEmpty, value.count <= 512, printable else {
            return "the \(what) must be 1 to 512 printable ASCII characters without spaces"
        }
        return nil
    }
}
