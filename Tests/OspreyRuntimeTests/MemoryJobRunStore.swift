import OspreyCore
import Synchronization

/// The run history in memory, with the same contract as the SQLite table.
final class MemoryJobRunStore: JobRunStore {
    let records = Mutex<[JobRunRecord]>([])

    init(_ initial: [JobRunRecord] = []) {
        records.withLock { $0 = initial }
    }

    var all: [JobRunRecord] { records.withLock { $0 } }

    func finished(_ job: String) -> [JobRunRecord] {
        all.filter { $0.job == job && $0.outcome != nil }
    }

    func begin(job: String, scheduledAt: Int64, trigger: RunTrigger, attempt: Int, startedAt: Double) async throws -> Int64 {
        records.withLock { records in
            let id = Int64(records.count + 1)
            records.append(JobRunRecord(id: id, job: job, scheduledAt: scheduledAt, trigger: trigger, attempt: attempt, startedAt: startedAt, finishedAt: nil, outcome: nil, error: nil))
            return id
        }
    }

    func finish(runID: Int64, finishedAt: Double, outcome: JobOutcome, error: String?) async throws {
        records.withLock { records in
            guard let index = records.firstIndex(where: { $0.id == runID }) else { return }
            records[index].finishedAt = finishedAt
            records[index].outcome = outcome
            records[index].error = error
        }
    }

    func skipped(job: String, scheduledAt: Int64, trigger: RunTrigger, at: Double, reason: String) async throws -> Int64 {
        records.withLock { records in
            let id = Int64(records.count + 1)
            records.append(JobRunRecord(id: id, job: job, scheduledAt: scheduledAt, trigger: trigger, attempt: 1, startedAt: nil, finishedAt: at, outcome: .skipped, error: reason))
            return id
        }
    }

    func closeInterrupted(at: Double, reason: String) throws -> Int {
        records.withLock { records in
            var count = 0
            for index in records.indices where records[index].outcome == nil {
                records[index].finishedAt = at
                records[index].outcome = .error
                records[index].error = reason
                count += 1
            }
            return count
        }
    }

    func summaries() throws -> [String: JobRunSummary] {
        var summaries: [String: JobRunSummary] = [:]
        for record in all {
            var summary = summaries[record.job, default: JobRunSummary()]
            if record.trigger == .schedule { summary.lastScheduled = max(summary.lastScheduled ?? .min, record.scheduledAt) }
            if record.outcome == .ok { summary.lastSuccess = max(summary.lastSuccess ?? 0, record.finishedAt ?? 0) }
            if record.outcome != nil { summary.lastRun = record }
            summaries[record.job] = summary
        }
        return summaries
    }

    func history(job: String, limit: Int) throws -> [JobRunRecord] {
        Array(all.filter { $0.job == job }.reversed().prefix(limit))
    }
}
