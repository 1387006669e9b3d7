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
        Migration(version: 3, name: "job runs", sql: """
            CREATE TABLE job_run (
                id INTEGER PRIMARY KEY,
                job TEXT NOT NULL,
                scheduled_at INTEGER NOT NULL, -- unix seconds of the slot; retries share it
                trigger TEXT NOT NULL CHECK (trigger IN ('schedule', 'manual')),
                attempt INTEGER NOT NULL,
                started_at REAL,               -- unix seconds; NULL for skipped runs
                finished_at REAL,              -- NULL while running
                outcome TEXT CHECK (outcome IN ('ok', 'error', 'timeout', 'skipped')),
                error TEXT
            );
            CREATE INDEX job_run_by_job ON job_run (job);  -- rowid order within a job: history, latest run
            CREATE INDEX job_run_by_finish ON job_run (finished_at);
            """),
        Migration(version: 4, name: "market data", sql: """
            CREATE TABLE token (
                chain TEXT NOT NULL,
                address TEXT NOT NULL,
                symbol TEXT NOT NULL,
                name TEXT NOT NULL,
                pair_address TEXT NOT NULL,
                dex TEXT NOT NULL,
                quote_symbol TEXT NOT NULL,
                price_usd TEXT,               -- exact decimals as text, never REAL
                liquidity_usd TEXT,
                volume_h24_usd TEXT,
                created_at REAL,              -- pair creation, unix seconds
                first_seen REAL NOT NULL,
                updated_at REAL NOT NULL,
                source TEXT NOT NULL,
                PRIMARY KEY (chain, address)
            ) WITHOUT ROWID;
            CREATE TABLE token_snapshot (
                chain TEXT NOT NULL,
                address TEXT NOT NULL,
                at REAL NOT NULL,
                price_usd TEXT,
                liquidity_usd TEXT,
                PRIMARY KEY (chain, address, at)
            ) WITHOUT ROWID;
            CREATE INDEX token_snapshot_by_time ON token_snapshot (at);
            CREATE TABLE signal (
                id INTEGER PRIMARY KEY,
                rule TEXT NOT NULL,
                kind TEXT NOT NULL,
                token TEXT NOT NULL,
                symbol TEXT NOT NULL,
                value TEXT NOT NULL,
                threshold TEXT NOT NULL,
                at REAL NOT NULL,
                message TEXT NOT NULL
            );
            CREATE INDEX signal_by_time ON signal (at);
            """),
    ]
}
