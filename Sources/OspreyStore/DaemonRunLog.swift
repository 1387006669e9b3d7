/// Each start and clean stop of the daemon, so a start can tell whether the previous run crashed.
public struct DaemonRunLog: Sendable {
    let database: Database

    public init(_ database: Database) {
        self.database = database
    }

    public struct Start: Sendable {
        public let runID: Int64
        /// The previous run, if any, and whether it shut down cleanly.
        public let previousRunClean: Bool?
        public let totalRuns: Int64
    }

    public func recordStart(version: String, at unixSeconds: Int64) throws -> Start {
        try database.write(durable: true) { connection in
            let previous = try connection.query("SELECT stopped_at FROM daemon_run ORDER BY id DESC LIMIT 1").first
            try connection.execute("INSERT INTO daemon_run (started_at, version) VALUES (?, ?)", [.integer(unixSeconds), .text(version)])
            let id = connection.lastInsertRowID
            let total = try connection.query("SELECT count(*) FROM daemon_run").first?[0].integer ?? 1
            return Start(runID: id, previousRunClean: previous.map { $0[0] != .null }, totalRuns: total)
        }
    }

    public func recordStop(runID: Int64, at unixSeconds: Int64) throws {
        _ = try database.write(durable: true) { connection in
            try connection.execute("UPDATE daemon_run SET stopped_at = ? WHERE id = ?", [.integer(unixSeconds), .integer(runID)])
        }
    }
}
