import OspreyCore

/// The run history in SQLite: one row per attempt, inserted when it starts and completed when it ends.
/// Those writes go through the database's group commit.
public struct JobRunTable: JobRunStore {
    let database: Database
    static let columns = "id, job, scheduled_at, trigger, attempt, started_at, finished_at, outcome, error"

    public init(_ database: Database) {
        self.database = database
    }

    public func begin(job: String, scheduledAt: Int64, trigger: RunTrigger, attempt: Int, startedAt: Double) async throws -> Int64 {
        try await database.commit { connection in
            try connection.execute(
                "INSERT INTO job_run (job, scheduled_at, trigger, attempt, started_at) VALUES (?, ?, ?, ?, ?)",
                [.text(job), .integer(scheduledAt), .text(trigger.rawValue), .integer(Int64(attempt)), .real(startedAt)])
            return connection.lastInsertRowID
        }
    }

    public func finish(runID: Int64, finishedAt: Double, outcome: JobOutcome, error: String?) async throws {
        try await database.commit { connection in
            try connection.execute(
                "UPDATE job_run SET finished_at = ?, outcome = ?, error = ? WHERE id = ?",
                [.real(finishedAt), .text(outcome.rawValue), error.map { .text($0) } ?? .null, .integer(runID)])
        }
    }

    public func skipped(job: String, scheduledAt: Int64, trigger: RunTrigger, at: Double, reason: String) async throws -> Int64 {
        try await database.commit { connection in
            try connection.execute(
                "INSERT INTO job_run (job, scheduled_at, trigger, attempt, finished_at, outcome, error) VALUES (?, ?, ?, 1, ?, 'skipped', ?)",
                [.text(job), .integer(scheduledAt), .text(trigger.rawValue), .real(at), .text(reason)])
            return connection.lastInsertRowID
        }
    }

    public func closeInterrupted(at: Double, reason: String) throws -> Int {
        try database.write { connection in
            try connection.execute(
                "UPDATE job_run SET finished_at = ?, outcome = 'error', error = ? WHERE outcome IS NULL", [.real(at), .text(reason)])
        }
    }

    public func summaries() throws -> [String: JobRunSummary] {
        try database.read { connection in
            var summaries: [String: JobRunSummary] = [:]
            for row in try connection.query("SELECT job, max(scheduled_at) FROM job_run WHERE trigger = 'schedule' GROUP BY job") {
                summaries[row[0].text ?? "", default: JobRunSummary()].lastScheduled = row[1].integer
            }
            for row in try connection.query("SELECT job, max(finished_at) FROM job_run WHERE outcome = 'ok' GROUP BY job") {
                summaries[row[0].text ?? "", default: JobRunSummary()].lastSuccess = row[1].real
            }
            let latest = "SELECT \(Self.columns) FROM job_run WHERE id IN (SELECT max(id) FROM job_run WHERE outcome IS NOT NULL GROUP BY job)"
            for row in try connection.query(latest) {
                let record = Self.record(row)
                summaries[record.job, default: JobRunSummary()].lastRun = record
            }
            return summaries
        }
    }

    public func history(job: String, limit: Int) throws -> [JobRunRecord] {
        try database.read { connection in
            try connection.query(
                "SELECT \(Self.columns) FROM job_run WHERE job = ? ORDER BY id DESC LIMIT ?", [.text(job), .integer(Int64(limit))]
            ).map(Self.record)
        }
    }

    static func record(_ row: SQLRow) -> JobRunRecord {
        JobRunRecord(
            id: row[0].integer ?? 0, job: row[1].text ?? "", scheduledAt: row[2].integer ?? 0,
            trigger: row[3].text.flatMap(RunTrigger.init(rawValue:)) ?? .schedule, attempt: Int(row[4].integer ?? 1),
            startedAt: row[5].real, finishedAt: row[6].real, outcome: row[7].text.flatMap(JobOutcome.init(rawValue:)),
            error: row[8].text)
    }
}
