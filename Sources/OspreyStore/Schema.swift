/// Osprey's schema, one step per change; new steps are appended, never edited.
public enum Schema {
    public static let migrations: [Migration] = [
        Migration(version: 1, name: "daemon runs", sql: """
            CREATE TABLE daemon_run (
                id INTEGER PRIMARY KEY,
                started_at INTEGER NOT NULL,   -- unix seconds
                stopped_at INTEGER,            -- set by a clean shutdown only
                version TEXT NOT NULL
            );
            """),
        Migration(version: 2, name: "exchange keys", sql: """
            CREATE TABLE exchange_key (
                name TEXT PRIMARY KEY,
                exchange TEXT NOT NULL,
                token TEXT NOT NULL,           -- Fernet token of the credentials, under the master key
                created_at INTEGER NOT NULL,   -- unix seconds
                fingerprint TEXT NOT NULL      -- non-secret: a prefix of the API key's SHA-256
            ) WITHOUT ROWID;
            """),
    ]
}
