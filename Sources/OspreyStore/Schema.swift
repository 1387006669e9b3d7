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
    ]
}
