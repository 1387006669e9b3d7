/// `db.prune`: time series past their retention are deleted in small batches, so the writer lock is never
/// held for long and other writers interleave.
extension Database {
    static let pruneBatch = 5000

    /// Each table with old rows to delete, and the statement that deletes one batch older than `?1`.
    /// A job's newest run, and its newest scheduled slot, are always kept: they anchor its next due time.
    static let retention: [(table: String, deleteBatch: String)] = [
        ("job_run", """
            DELETE FROM job_run WHERE id IN (
                SELECT id FROM job_run WHERE finished_at < ?1 AND id NOT IN (
                    SELECT max(id) FROM job_run GROUP BY job
                    UNION ALL
                    SELECT id FROM (SELECT id, max(scheduled_at) FROM job_run WHERE trigger = 'schedule' GROUP BY job))
                LIMIT \(pruneBatch))
            """),
        ("signal", "DELETE FROM signal WHERE id IN (SELECT id FROM signal WHERE at < ?1 LIMIT \(pruneBatch))"),
    ]

    /// Deletes rows older than `before` (Unix seconds) from every time series; returns the count per table.
    public func prune(before: Double) async throws -> [String: Int] {
        var deleted: [String: Int] = [:]
        for (table, statement) in Self.retention {
            var batch = 0
            repeat {
                try Task.checkCancellation()
                batch = try write { connection in try connection.execute(statement, [.real(before)]) }
                deleted[table, default: 0] += batch
                await Task.yield()
            } while batch == Self.pruneBatch
        }
        try read { connection in _ = try connection.query("PRAGMA optimize") }
        return deleted
    }
}
