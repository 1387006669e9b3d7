import Foundation
import OspreyCore
import OspreyTestSupport
import Testing

/// The scheduler inside the real daemon: runs recorded in its SQLite file, `osprey jobs`, metrics, restarts.
@Suite struct JobsTests {
    static let jobs = """
        [[job]]
        name = "backup"
        kind = "db.backup"
        every = "6h"
        args = { keep = 2 }

        [[job]]
        name = "prune"
        kind = "db.prune"
        cron = "15 3 * * *"
        """

    struct ListedJob: Decodable {
        let name: String
        let nextDue: Double?
        let lastRun: Run?
    }

    struct Run: Decodable {
        let id: Int64
        let scheduledAt: Int64
        let outcome: String?
        let trigger: String
    }

    struct List: Decodable {
        let jobs: [ListedJob]
    }

    struct History: Decodable {
        let runs: [Run]
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(type, from: Data(text.utf8))
    }

    func list(_ daemon: DaemonHarness) throws -> [String: ListedJob] {
        let result = try daemon.cli(["jobs", "list", "--json", "--socket", daemon.controlSocket])
        #expect(result.status == 0, "\(result.stderr)")
        return Dictionary(uniqueKeysWithValues: try Self.decode(List.self, result.stdout).jobs.map { ($0.name, $0) })
    }

    func backups(_ daemon: DaemonHarness) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: daemon.stateDirectory + "/backups")) ?? []).sorted()
    }

    @Test func aSixHourJobRunsOnceAndARestartDoesNotFireItAgain() async throws {
        let daemon = try DaemonHarness()
        try daemon.writeConfig(extra: Self.jobs)
        try await daemon.startReady()
        try await eventually("the first backup") { (try? list(daemon)["backup"]?.lastRun?.outcome) == "ok" }
        let first = try #require(try list(daemon)["backup"]?.lastRun)
        #expect(backups(daemon).count == 1)
        #expect(try daemon.metric(#"osprey_job_runs_total{job="backup",outcome="ok"}"#) == 1)
        #expect(try daemon.metric(#"osprey_job_next_run_timestamp_seconds{job="backup"}"#) == Double(first.scheduledAt + 21600))
        #expect(try list(daemon)["prune"]?.lastRun == nil, "a cron job waits for its time")
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)

        try await daemon.startReady()
        let listed = try #require(try list(daemon)["backup"])
        #expect(listed.lastRun?.id == first.id, "no new run after the restart")
        #expect(listed.nextDue == Double(first.scheduledAt + 21600), "still due 6 h after the first run")
        #expect(try daemon.metric(#"osprey_job_runs_total{job="backup",outcome="ok"}"#) == 0)
        #expect(try daemon.metric(#"osprey_job_last_success_timestamp_seconds{job="backup"}"#) ?? 0 >= Double(first.scheduledAt),
                "last success comes back from the history")
        let history = try Self.decode(History.self, try daemon.cli(["jobs", "history", "backup", "--json", "--socket", daemon.controlSocket]).stdout)
        #expect(history.runs.map(\.id) == [first.id])
        #expect(backups(daemon).count == 1)
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }

    @Test func jobsRunPrintsTheOutcomeAndTheCLIExplainsMistakes() async throws {
        let daemon = try DaemonHarness()
        try daemon.writeConfig(extra: Self.jobs)
        try await daemon.startReady()
        try await eventually("the scheduled backup") { backups(daemon).count == 1 }

        let run = try daemon.cli(["jobs", "run", "prune", "--socket", daemon.controlSocket])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("prune: ok "), "\(run.stdout)")
        for _ in 0..<2 { #expect(try daemon.cli(["jobs", "run", "backup", "--socket", daemon.controlSocket]).status == 0) }
        #expect(backups(daemon).count == 2, "keep = 2: \(backups(daemon))")

        let table = try daemon.cli(["jobs", "--socket", daemon.controlSocket])
        let lines = table.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("NAME") == true && lines.count == 3, "\(table.stdout)")
        #expect(lines.contains { $0.hasPrefix("prune ") && $0.contains("cron 15 3 * * *") && $0.contains("ok ") })

        let history = try daemon.cli(["jobs", "history", "backup", "--socket", daemon.controlSocket])
        #expect(history.stdout.split(separator: "\n").count == 4, "a header and three runs:\n\(history.stdout)")
        #expect(history.stdout.contains("manual") && history.stdout.contains("schedule"))

        let unknown = try daemon.cli(["jobs", "run", "nope", "--socket", daemon.controlSocket])
        #expect(unknown.status == 1 && unknown.stderr == "error: no job named \"nope\" is configured\n")
        let badLimit = try daemon.cli(["jobs", "history", "backup", "--limit", "0", "--socket", daemon.controlSocket])
        #expect(badLimit.status == 1 && badLimit.stderr.contains("limit must be an integer from 1 to 1000"))

        // A reload that removes a job removes its series and its line.
        try daemon.writeConfig(extra: "[[job]]\nname = \"prune\"\nkind = \"db.prune\"\ncron = \"15 3 * * *\"\n")
        daemon.signal(SIGHUP)
        try await eventually("the backup job gone") { (try? list(daemon)["backup"]) == nil && (try? list(daemon)["prune"]) != nil }
        try await eventually("its series gone") { (try? daemon.get("/metrics").body.contains(#"job="backup""#)) == false }
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }
}
