import Foundation
import Logging
import OspreyCore
import OspreyFakes
import OspreyNet
import OspreyRuntime
import OspreySecrets
import OspreyStore
import OspreyTestSupport
import Testing

/// One error shape: every error Osprey raises has a code from a bounded set (snake_case), and that code is
/// what `error.kind` says in the journal, where a job's failure is logged.
@Suite struct ErrorCodeTests {
    @Test func everyKindOfErrorHasABoundedCode() async throws {
        var errors: [any Error] = [
            ExchangeError(.noAnswer, "x"), TradeRefusal(.risk, "x"), SourceError(.circuitOpen, "x"), KeyVaultError.noMasterKey("x"),
            ConfigurationProblem(file: "f", "x"), SchedulerBook.Refusal.shuttingDown,
        ]
        do { _ = try JSON.parse(Array("{".utf8)) } catch { errors.append(error) }
        do { _ = try Database(directory: "/proc/osprey-cannot-be-here", logger: .init(label: "t") { _ in SwiftLogNoOpLogHandler() }) } catch {
            errors.append(error)
        }
        do { _ = try await fakeServerClient.send(HTTPClientRequest(.get, "http://127.0.0.1:\(try closedPort())/")) } catch { errors.append(error) }
        for error in errors {
            let code = errorCode(error)
            #expect(code != "other" && code.allSatisfy { $0.isLowercase || $0 == "_" }, "\(type(of: error)): \(code)")
        }
        #expect(errorCode(CocoaError(.fileNoSuchFile)) == "other", "an error from outside Osprey")
    }

    @Test func aFailedJobLogsItsErrorKind() async throws {
        let daemon = try DaemonHarness()
        try daemon.writeConfig(extra: """
            [[job]]
            name = "backup"
            kind = "db.backup"
            every = "6h"
            """)
        try await daemon.startReady()
        // A file where the backups folder goes: the backup fails.
        try? FileManager.default.removeItem(atPath: daemon.stateDirectory + "/backups")
        FileManager.default.createFile(atPath: daemon.stateDirectory + "/backups", contents: Data())
        let run = try daemon.cli(["jobs", "run", "backup", "--socket", daemon.controlSocket])
        #expect(run.status != 0, "\(run.stdout)")
        let failed = try #require(daemon.logRecords.last { $0["MESSAGE"] == "job run failed" })
        #expect(failed["OSPREY_ERROR_KIND"] == "not_writable" || failed["OSPREY_ERROR_KIND"] == "backup_failed", "\(failed)")
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }
}
