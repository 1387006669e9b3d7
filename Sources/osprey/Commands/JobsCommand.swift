import ArgumentParser
import OspreyControlClient
import OspreyCore
import OspreyRuntime

/// `osprey jobs list|run|history`: the scheduler, through the running daemon.
struct JobsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs", abstract: "List, run and inspect the daemon's scheduled jobs.",
        subcommands: [List.self, Run.self, History.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Each job's schedule, last run and outcome, next due time and running count.")

        @OptionGroup var control: ControlOptions

        func run() throws {
            guard let list = try control.answer(JobListPayload.self, "GET", "/v1/jobs") else { return }
            guard !list.jobs.isEmpty else { return print("no jobs configured (add [[job]] tables to the configuration)") }
            let now = WallClock.system.now()
            let rows = list.jobs.map { job in
                [
                    job.name, job.kind, job.schedule, job.priority.rawValue,
                    job.lastRun.map(JobsCommand.describe) ?? "never",
                    job.nextDue.map { JobsCommand.time($0, now: now) } ?? (job.enabled ? "-" : "disabled"),
                    job.running > 0 ? "\(job.running) running" : (job.queued > 0 ? "\(job.queued) queued" : "idle"),
                ]
            }
            JobsCommand.printTable(["NAME", "KIND", "SCHEDULE", "PRIORITY", "LAST RUN", "NEXT DUE", "STATE"], rows)
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a job now and print its outcome when it ends.",
            discussion: "The run goes through the queue like a scheduled one and does not move the job's schedule. "
                + "Interrupting this command does not stop the run.")

        @OptionGroup var control: ControlOptions
        @Argument(help: "The job's name, as in `osprey jobs list`.") var name: String

        func validate() throws {
            if let problem = JobSpec.nameProblem(name) { throw ValidationError("\"\(name)\" is not a job name: \(problem)") }
        }

        func run() throws {
            guard let answer = try control.answer(JobRunPayload.self, "POST", "/v1/jobs/\(name)/run", timeoutSeconds: 86400) else { return }
            print("\(name): \(JobsCommand.describe(answer.run)) (run \(answer.run.id), attempt \(answer.run.attempt))")
            if let error = answer.run.error { print("  \(error)") }
            if answer.run.outcome != .ok { throw ExitCode(1) }
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A job's recorded runs, newest first.")

        @OptionGroup var control: ControlOptions
        @Argument(help: "The job's name.") var name: String

        func validate() throws {
            if let problem = JobSpec.nameProblem(name) { throw ValidationError("\"\(name)\" is not a job name: \(problem)") }
        }
        @Option(name: .customLong("limit"), help: "How many runs to show (1-1000).") var limit = 20

        func run() throws {
            guard let history = try control.answer(JobHistoryPayload.self, "GET", "/v1/jobs/\(name)/history?limit=\(limit)") else { return }
            guard !history.runs.isEmpty else { return print("\(name) has not run yet") }
            let rows = history.runs.map { run in
                [
                    String(run.id), UTCDateTime(unixSeconds: run.scheduledAt).rfc3339(), run.trigger.rawValue, String(run.attempt),
                    run.startedAt.map { UTCDateTime(unixSeconds: Int64($0)).rfc3339() } ?? "-",
                    JobsCommand.duration(run), run.outcome?.rawValue ?? "running", run.error ?? "",
                ]
            }
            JobsCommand.printTable(["RUN", "SLOT", "TRIGGER", "ATTEMPT", "STARTED", "TOOK", "OUTCOME", "ERROR"], rows)
        }
    }

    /// `ok 2026-11-22T04:00:00Z, took 1.2s`
    static func describe(_ run: JobRunRecord) -> String {
        let when = (run.finishedAt ?? run.startedAt).map { UTCDateTime(unixSeconds: Int64($0)).rfc3339() } ?? "?"
        let took = run.startedAt == nil ? "" : ", took \(duration(run))"
        return "\(run.outcome?.rawValue ?? "running") \(when)\(took)"
    }

    static func duration(_ run: JobRunRecord) -> String {
        guard let start = run.startedAt, let end = run.finishedAt else { return "-" }
        let seconds = end - start
        return seconds < 60 ? "\((seconds * 100).rounded() / 100)s" : StatusCommand.duration(seconds)
    }

    /// `2026-11-22T10:00:00Z (in 5h59m)`
    static func time(_ unix: Double, now: Double) -> String {
        let stamp = UTCDateTime(unixSeconds: Int64(unix)).rfc3339()
        return unix <= now ? "\(stamp) (now)" : "\(stamp) (in \(StatusCommand.duration(unix - now)))"
    }

    static func printTable(_ header: [String], _ rows: [[String]]) {
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            print(row.indices.map { $0 == row.count - 1 ? row[$0] : row[$0].padding(widths[$0]) }.joined(separator: "  "))
        }
    }
}
