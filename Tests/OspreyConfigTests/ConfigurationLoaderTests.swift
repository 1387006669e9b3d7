import Foundation
import OspreyConfig
import OspreyCore
import OspreyTestSupport
import Testing

@Suite struct ConfigurationLoaderTests {
    /// Every key in the shipped file is a commented default; its active tables are the simulated market
    /// (as in the embedded defaults), three signal rules and the maintenance jobs.
    @Test func theShippedConfigurationIsValidAndEqualsTheDefaultsPlusItsTables() throws {
        let shipped = repositoryFile("etc/osprey/osprey.toml")
        var loaded = try ConfigurationLoader(mainFile: shipped).load().get().configuration
        #expect(loaded.jobs.map { "\($0.name) \($0.kind) \($0.timing)" } == [
            "scan-sim scan every 10s", "reconcile orders.reconcile every 1m", "backup db.backup cron 30 3 * * *",
            "prune db.prune cron 45 3 * * *",
        ])
        #expect(loaded.sources == SourcesSettings(sim: SimSourceSettings()))
        #expect(loaded.signals.map(\.name) == ["new-pair", "volume-spike", "rug-warning"])
        loaded.jobs = []
        loaded.sources = SourcesSettings()
        loaded.signals = []
        #expect(loaded == DaemonConfiguration())
    }

    /// A configuration file over 16 MiB is refused by name before it is parsed (100,000 `[[signal]]` tables
    /// are 6 MB, parsed in well under a second: `Benchmarks/config`).
    @Test func anOversizedFileIsRefusedWithItsName() throws {
        try withTemporaryDirectory { dir in
            try write(String(repeating: "# padding\n", count: (16 << 20) / 10 + 1), to: dir + "/osprey.toml")
            guard case .failure(let errors) = ConfigurationLoader(mainFile: dir + "/osprey.toml").load() else {
                Issue.record("a 16 MiB file was accepted")
                return
            }
            #expect(errors.description == "\(dir)/osprey.toml: the file is larger than 16 MiB")
        }
    }

    @Test func aMissingDefaultFileMeansEmbeddedDefaults() throws {
        try withTemporaryDirectory { dir in
            let loader = ConfigurationLoader(mainFile: nil)
            #expect(loader.mainFile == "/etc/osprey/osprey.toml")
            let absent = ConfigurationLoader(mainFile: dir + "/osprey.toml")
            guard case .failure(let errors) = absent.load() else {
                Issue.record("an explicit --config that does not exist must be an error")
                return
            }
            #expect(errors.description == "\(dir)/osprey.toml: the file does not exist")
        }
    }

    @Test func confDFilesOverrideTheMainFileInLexicalOrder() throws {
        try withTemporaryDirectory { dir in
            try write("[log]\nlevel = \"debug\"\nformat = \"json\"\n[http]\nlisten = \"127.0.0.1:1000\"\n", to: dir + "/osprey.toml")
            try write("[log]\nlevel = \"error\"\n", to: dir + "/conf.d/20-level.toml")
            try write("[log]\nlevel = \"warning\"\n[http]\nlisten = \"127.0.0.1:2000\"\n", to: dir + "/conf.d/10-first.toml")
            try write("[log]\nlevel = \"trace\"\n", to: dir + "/conf.d/30-ignored.toml.disabled")
            let loaded = try ConfigurationLoader(mainFile: dir + "/osprey.toml").load().get()
            #expect(loaded.configuration.log.level == .error)
            #expect(loaded.configuration.log.format == .json)
            #expect(loaded.configuration.http.listen.port == 2000)
            #expect(loaded.files == [dir + "/osprey.toml", dir + "/conf.d/10-first.toml", dir + "/conf.d/20-level.toml"])
        }
    }

    @Test func everyProblemInEveryFileIsReportedWithItsPosition() throws {
        try withTemporaryDirectory { dir in
            try write("""
                [log]
                levle = "debug"
                format = 3
                [http]
                listen = "127.0.0.1"
                [daemon]
                state_dir = "relative/path"
                [scaner]
                x = 1
                """, to: dir + "/osprey.toml")
            try write("[control]\nsocket = \"/tmp/a\" extra\n", to: dir + "/conf.d/50-broken.toml")
            guard case .failure(let errors) = ConfigurationLoader(mainFile: dir + "/osprey.toml").load() else {
                Issue.record("accepted")
                return
            }
            // A parse error in one file stops before the keys are checked; it is reported on its own.
            #expect(errors.problems.map(\.description) == [
                "\(dir)/conf.d/50-broken.toml:2:19: expected the end of the line after the value, found 'e'",
            ])
            try FileManager.default.removeItem(atPath: dir + "/conf.d/50-broken.toml")
            guard case .failure(let keyErrors) = ConfigurationLoader(mainFile: dir + "/osprey.toml").load() else {
                Issue.record("accepted")
                return
            }
            #expect(keyErrors.problems.map(\.description) == [
                "\(dir)/osprey.toml:2:1: log.levle: unknown key; did you mean 'level'?",
                "\(dir)/osprey.toml:3:10: log.format: expected a string, found an integer",
                "\(dir)/osprey.toml:5:10: http.listen: expected host:port, like 127.0.0.1:7469",
                "\(dir)/osprey.toml:7:13: daemon.state_dir: expected an absolute path (starting with '/'), found \"relative/path\"",
                "\(dir)/osprey.toml:8:2: scaner: unknown key; did you mean 'scanner'?",
            ])
        }
    }

    @Test func anInvalidChoiceListsTheValidOnes() throws {
        try withTemporaryDirectory { dir in
            try write("[log]\nlevel = \"verbose\"\n", to: dir + "/osprey.toml")
            guard case .failure(let errors) = ConfigurationLoader(mainFile: dir + "/osprey.toml").load() else {
                Issue.record("accepted")
                return
            }
            #expect(errors.description == "\(dir)/osprey.toml:2:9: log.level: expected one of \"trace\", \"debug\", \"info\", \"notice\", \"warning\", \"error\", \"critical\", found \"verbose\"")
        }
    }

    @Test func unreadableAndNonUTF8FilesAreNamed() throws {
        try withTemporaryDirectory { dir in
            try Data([0x61, 0x20, 0x3D, 0x20, 0x31, 0x0A, 0x62, 0x20, 0x3D, 0x20, 0x22, 0xFF, 0x22, 0x0A])
                .write(to: URL(fileURLWithPath: dir + "/osprey.toml"))
            guard case .failure(let errors) = ConfigurationLoader(mainFile: dir + "/osprey.toml").load() else {
                Issue.record("accepted")
                return
            }
            #expect(errors.description == "\(dir)/osprey.toml: line 2 is not valid UTF-8")
        }
    }
}
