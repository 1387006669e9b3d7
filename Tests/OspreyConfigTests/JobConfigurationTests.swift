import OspreyConfig
import OspreyCore
import OspreyTestSupport
import Testing

@Suite struct JobConfigurationTests {
    func load(_ main: String, confD: [String: String] = [:]) throws -> (String, Result<LoadedConfiguration, ConfigurationErrors>) {
        try withTemporaryDirectory { dir in
            try write(main, to: dir + "/osprey.toml")
            for (name, text) in confD { try write(text, to: dir + "/conf.d/" + name) }
            return (dir, ConfigurationLoader(mainFile: dir + "/osprey.toml").load())
        }
    }

    @Test func aFullJobAndDefaults() throws {
        let (_, result) = try load("""
            [scheduler]
            workers = 2
            queue_size = 10

            [[job]]
            name = "backup"
            kind = "db.backup"
            every = "6h"
            jitter = "2s"
            timeout = "1m30s"
            priority = "high"
            retries = 3
            max_concurrency = 2
            catch_up = "skip"
            args = { keep = 3 }

            [[job]]
            name = "prune"
            kind = "db.prune"
            cron = "15 3 * * *"
            args = { older_than = "7d" }
            """)
        let configuration = try result.get().configuration
        #expect(configuration.scheduler == SchedulerSettings(workers: 2, queueSize: 10))
        #expect(configuration.jobs.count == 2)
        let backup = configuration.jobs[0]
        #expect(backup == JobSpec(
            name: "backup", kind: "db.backup", timing: .every(.seconds(6 * 3600)), jitter: .seconds(2), timeout: .seconds(90),
            priority: .high, retries: 3, enabled: true, maxConcurrency: 2, catchUp: .skip,
            args: ["keep": "3"]))
        let prune = configuration.jobs[1]
        #expect(prune.timing == .cron(try CronSchedule("15 3 * * *")))
        #expect(prune.timeout == .seconds(300) && prune.priority == .normal && prune.retries == 0 && prune.catchUp == .once)
        #expect(JobKinds.prune.duration("older_than", in: prune.args) == .seconds(7 * 86400))
        #expect(JobKinds.backup.integer("keep", in: [:]) == 7, "the default when not set")
    }

    @Test func argumentsAreCheckedAgainstTheJobKind() throws {
        let (dir, result) = try load("""
            [[job]]
            name = "backup"
            kind = "db.backup"
            every = "6h"
            args = { keep = 0, verify = true }

            [[job]]
            name = "prune"
            kind = "db.prune"
            every = "1d"
            args = { older_than = "5m", keep = [1] }
            """)
        guard case .failure(let errors) = result else {
            Issue.record("accepted")
            return
        }
        let file = dir + "/osprey.toml"
        #expect(errors.problems.map(\.description) == [
            "\(file):5:17: job.backup.args.keep: keep must be an integer from 1 to 1000, got 0",
            "\(file):5:29: job.backup.args.verify: job kind db.backup takes no argument \"verify\"; it accepts: keep",
            "\(file):11:23: job.prune.args.older_than: older_than must be a duration of at least 1h like \"30d\" and at most 36500d, got \"5m\"",
            "\(file):11:36: job.prune.args.keep: expected a string, integer or boolean, found an array",
        ])
    }

    @Test func confDFilesAddJobsAndReplaceByName() throws {
        let (_, result) = try load("""
            [[job]]
            name = "backup"
            kind = "db.backup"
            every = "6h"
            """, confD: [
                "10-more.toml": "[[job]]\nname = \"prune\"\nkind = \"db.prune\"\nevery = \"1d\"\n",
                "20-faster.toml": "[[job]]\nname = \"backup\"\nkind = \"db.backup\"\nevery = \"1h\"\n",
            ])
        let jobs = try result.get().configuration.jobs
        #expect(jobs.map(\.name) == ["prune", "backup"])
        #expect(jobs.last?.timing == .every(.seconds(3600)))
    }

    @Test func everyProblemIsNamedAtItsPlace() throws {
        let (dir, result) = try load("""
            [[job]]
            name = "Bad Name"
            kind = "db.backup"
            every = "6h"

            [[job]]
            name = "scan"
            kind = "scna"
            cron = "*/5 * * *"
            retries = 99
            prioirty = "high"

            [[job]]
            name = "both"
            kind = "db.prune"
            every = "1h"
            cron = "* * * * *"

            [[job]]
            kind = "db.prune"
            every = "soon"

            [[job]]
            name = "backup"
            kind = "db.backup"
            every = "1h"
            [[job]]
            name = "backup"
            kind = "db.backup"
            every = "2h"
            """)
        guard case .failure(let errors) = result else {
            Issue.record("accepted")
            return
        }
        let file = dir + "/osprey.toml"
        #expect(errors.problems.map(\.description) == [
            "\(file):2:8: job[1].name: a job name is 1 to 64 characters of a-z, 0-9 and '-'",
            "\(file):8:8: job.scan.kind: unknown job kind \"scna\"; known kinds are db.backup, db.prune, scan, orders.reconcile, strategy.evaluate",
            "\(file):9:8: job.scan.cron: a cron expression has 5 fields (minute hour day-of-month month day-of-week), found 4",
            "\(file):10:11: job.scan.retries: expected an integer from 0 to 20, found 99",
            "\(file):11:1: job.scan.prioirty: unknown key; did you mean 'priority'?",
            "\(file):13:1: job.both.every: set either every or cron, not both",
            "\(file):19:1: job[4].name: every job needs a name",
            "\(file):21:9: job[4].every: expected a duration like \"500ms\", \"30s\", \"5m\", \"6h\" or \"1h30m\", at most 36500d, found \"soon\"",
            "\(file):27:1: job.backup: a job with this name is already defined at \(file):23:1",
        ])
    }
}

@Suite struct DurationTextTests {
    @Test(arguments: [("500ms", 0.5), ("30s", 30.0), ("5m", 300.0), ("6h", 21600.0), ("1d", 86400.0), ("1h30m", 5400.0), ("1m30s500ms", 90.5)])
    func parses(text: String, seconds: Double) {
        let duration = DurationText.parse(text)
        #expect(duration.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 } == seconds)
    }

    @Test(arguments: ["", "5", "m", "5x", "-5s", "5 s", "1.5h", "s5", "2562047788015216h", "106751991167301d", "36501d", "36500d1ms", "99999999999999999999s", "9223372036854775807ms"])
    func rejects(text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test func formatsShortest() {
        #expect(DurationText.format(.seconds(90)) == "1m30s")
        #expect(DurationText.format(.seconds(21600)) == "6h")
        #expect(DurationText.format(.milliseconds(1500)) == "1s500ms")
    }
}
