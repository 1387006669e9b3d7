import Logging

/// One schema step: applied once, in order, tracked by `PRAGMA user_version`.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}

/// Applies every pending migration in one transaction: after a failure the schema is as it was.
struct Migrator {
    let migrations: [Migration]

    func migrate(_ connection: Connection, logger: Logger) throws(StoreError) {
        precondition(migrations.map(\.version) == Array(1...max(migrations.count, 1)).prefix(migrations.count).map { $0 },
                     "migrations must be numbered 1, 2, 3… without gaps")
        let current = Int(try connection.query("PRAGMA user_version").first?[0].integer ?? 0)
        let latest = migrations.last?.version ?? 0
        guard current <= latest else { throw .schemaTooNew(connection.path, found: current, known: latest) }
        let pending = migrations.filter { $0.version > current }
        guard !pending.isEmpty else { return }

        try connection.query("BEGIN IMMEDIATE")
        do throws(StoreError) {
            for migration in pending {
                try connection.executeScript(migration.sql)
                logger.info("applied database migration", metadata: [
                    "migration.version": "\(migration.version)", "migration.name": "\(migration.name)",
                ])
            }
            try connection.executeScript("PRAGMA user_version = \(latest)")
            try connection.query("COMMIT")
        } catch {
            _ = try? connection.query("ROLLBACK")
            throw error
        }
    }
}
