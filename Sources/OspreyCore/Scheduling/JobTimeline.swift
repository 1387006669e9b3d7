/// When a job is due, in Unix seconds (UTC). Pure, so restarts and catch-up are tested without a clock.
/// Times are anchored to the *scheduled* time of the previous run, not its finish, so cadence never drifts.
public enum JobTimeline {
    /// The first due time after a (re)start. `lastScheduled` is the scheduled time of the last recorded run.
    /// A job that never ran is due now (every) or at its next cron time. A run missed while the daemon was
    /// down runs once at start (`catch_up = "once"`) or waits for the next regular time (`"skip"`); a run
    /// not yet due keeps its time, so a restart never makes a 6-hour job fire early.
    public static func firstDue(_ spec: JobSpec, lastScheduled: Int64?, now: Int64) -> Int64? {
        guard let last = lastScheduled else {
            switch spec.timing {
            case .every: return now
            case .cron(let cron): return cron.next(after: now - 1)
            }
        }
        guard let regular = nextDue(spec, after: last, now: last) else { return nil }
        if regular > now { return regular }
        switch spec.catchUp {
        case .once: return now
        case .skip: return nextDue(spec, after: last, now: now)
        }
    }

    /// The next due time after a run scheduled at `scheduled`, skipping whole periods already past `now`.
    public static func nextDue(_ spec: JobSpec, after scheduled: Int64, now: Int64) -> Int64? {
        switch spec.timing {
        case .every(let interval):
            let period = max(interval.components.seconds, 1)
            let next = scheduled + period
            guard next <= now else { return next }
            return scheduled + period * ((now - scheduled) / period + 1)
        case .cron(let cron):
            return cron.next(after: max(scheduled, now))
        }
    }
}
