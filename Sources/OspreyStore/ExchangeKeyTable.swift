import OspreyCore

/// Exchange key records in SQLite. Writes are durable (synchronous=FULL): losing a key is losing access.
public struct ExchangeKeyTable: ExchangeKeyRepository {
    let database: Database

    public init(_ database: Database) {
        self.database = database
    }

    public func all() throws -> [ExchangeKeyRecord] {
        try database.read { connection in
            try connection.query("SELECT name, exchange, token, created_at, fingerprint FROM exchange_key ORDER BY name").map {
                ExchangeKeyRecord(
                    name: $0[0].text ?? "", exchange: $0[1].text ?? "", token: $0[2].text ?? "",
                    createdAt: $0[3].integer ?? 0, fingerprint: $0[4].text ?? "")
            }
        }
    }

    public func insert(_ record: ExchangeKeyRecord) throws {
        try database.write(durable: true) { connection in
            guard try connection.query("SELECT 1 FROM exchange_key WHERE name = ?", [.text(record.name)]).isEmpty else {
                throw StoreError.duplicate("a key named \(record.name) already exists; remove it first to replace it")
            }
            try connection.execute(
                "INSERT INTO exchange_key (name, exchange, token, created_at, fingerprint) VALUES (?, ?, ?, ?, ?)",
                [.text(record.name), .text(record.exchange), .text(record.token), .integer(record.createdAt), .text(record.fingerprint)])
        }
    }

    public func remove(name: String) throws -> Bool {
        try database.write(durable: true) { connection in
            try connection.execute("DELETE FROM exchange_key WHERE name = ?", [.text(name)]) > 0
        }
    }

    /// All tokens in one transaction; if any named key is missing, nothing changes.
    public func replaceTokens(_ tokens: [String: String]) throws {
        try database.write(durable: true) { connection in
            let existing = try connection.query("SELECT name FROM exchange_key").compactMap { $0[0].text }
            guard Set(existing) == Set(tokens.keys) else {
                throw StoreError.conflict("the set of keys changed while rotating; nothing was changed, run the rotation again")
            }
            for (name, token) in tokens {
                try connection.execute("UPDATE exchange_key SET token = ? WHERE name = ?", [.text(token), .text(name)])
            }
        }
    }
}
