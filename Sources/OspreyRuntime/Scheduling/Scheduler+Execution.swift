import Logging
import Metrics
import OspreyCore

/// One attempt of a run, off the scheduler's actor: record the start, run the kind's handler against its
/// timeout, record the end, then report back.
extension Scheduler {
    private enum Finish: Sendable {
        case handler((any Error)?)
        case deadline
        case deadlineCancelled
    }

    nonisolated func execute(_ run: PlannedRun, spec: JobSpec) async {
        let deadline = clock.now.advanced(by: spec.timeout)
        let startedAt = wallClock()
        metrics.lateness.recordNanoseconds(Int64(max(startedAt - run.fireAt, 0) * 1e9))
        var record = JobRunRecord(
            id: 0, job: run.job, scheduledAt: run.scheduledAt, trigger: run.trigger, attempt: run.attempt,
            startedAt: startedAt, finishedAt: nil, outcome: nil, error: nil)
        var logger = self.logger
        logger[metadataKey: "job"] = "\(run.job)"
        logger[metadataKey: "attempt"] = "\(run.attempt)"

        let (outcome, message, kind): (JobOutcome, String?, String?)
        do {
            record.id = try await store.begin(job: run.job, scheduledAt: run.scheduledAt, trigger: run.trigger, attempt: run.attempt, startedAt: startedAt)
            logger[metadataKey: "run_id"] = "\(record.id)"
            if let handler = handlers[spec.kind] {
                let context = JobContext(
                    job: run.job, runID: record.id, attempt: run.attempt, scheduledAt: run.scheduledAt, dueAt: run.fireAt,
                    args: spec.args, logger: logger)
                (outcome, message, kind) = await attempt(handler, context, deadline: deadline, timeout: spec.timeout)
            } else {
                (outcome, message, kind) = (.error, "this build has no handler for job kind \"\(spec.kind)\"", "no_handler")
            }
        } catch {
            (outcome, message, kind) = (.error, "cannot record the run, so it was not started: \(error)", errorCode(error))
        }

        let finishedAt = wallClock()
        record.finishedAt = finishedAt
        record.outcome = outcome
        record.error = message
        if record.id != 0 {
            do {
                try await store.finish(runID: record.id, finishedAt: finishedAt, outcome: outcome, error: message)
            } catch {
                logger.error("cannot record the end of a run", metadata: ["error": "\(error)"])
            }
        }
        let handles = metrics[run.job]
        handles.running.decrement()
        handles.runs[outcome]?.increment()
        handles.duration.recordNanoseconds(Int64(max(finishedAt - startedAt, 0) * 1e9))
        logger[metadataKey: "outcome"] = "\(outcome.rawValue)"
        logger[metadataKey: "duration_seconds"] = "\(Self.rounded(finishedAt - startedAt))"
        if let message {
            logger.warning("job run failed", metadata: ["error": "\(message)", "error.kind": "\(kind ?? "other")"])
        } else {
            logger.info("job run finished")
        }
        await completed(run, record: record)
    }

    /// Runs the handler; at `deadline` (its start plus `timeout`) it is cancelled and the outcome is `timeout`
    /// once it returns. A run cancelled because the daemon stops is an `error` saying so.
    private nonisolated func attempt(
        _ handler: @escaping JobHandler, _ context: JobContext, deadline: C.Instant, timeout: Duration
    ) async -> (JobOutcome, String?, kind: String?) {
        let clock = self.clock
        return await withTaskGroup(of: Finish.self) { race in
            race.addTask {
                do {
                    try await handler(context)
                    return .handler(nil)
                } catch {
                    return .handler(error)
                }
            }
            race.addTask {
                do {
                    try await clock.sleep(until: deadline, tolerance: nil)
                    return .deadline
                } catch {
                    return .deadlineCancelled
                }
            }
            var timedOut = false
            while let finish = await race.next() {
                switch finish {
                case .deadline:
                    timedOut = true
                    race.cancelAll()
                case .deadlineCancelled:
                    continue
                case .handler(let error):
                    race.cancelAll()
                    if timedOut { return (.timeout, "cancelled after the \(DurationText.format(timeout)) timeout", "timeout") }
                    if Task.isCancelled { return (.error, "cancelled: the daemon is shutting down", "shutting_down") }
                    return error.map { (.error, "\($0)", errorCode($0)) } ?? (.ok, nil, nil)
                }
            }
            return (.error, "the run ended without a result", "other")
        }
    }

    private static func rounded(_ seconds: Double) -> Double {
        (seconds * 1000).rounded() / 1000
    }
}
