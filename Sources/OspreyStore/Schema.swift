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
    ]
}
