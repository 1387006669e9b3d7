import OspreyCore
import Testing

@Suite struct RuntimePathsTests {
    @Test func systemdDirectoriesWinOverBuiltInDefaults() {
        let paths = RuntimePaths.forDaemon(
            DaemonConfiguration(), environment: ["STATE_DIRECTORY": "/var/lib/osprey:/var/lib/other", "RUNTIME_DIRECTORY": "/run/osprey"],
            isRoot: false, workingDirectory: "/home/me")
        #expect(paths == RuntimePaths(stateDirectory: "/var/lib/osprey", controlSocket: "/run/osprey/control.sock"))
    }

    @Test func defaultsDependOnWhetherWeAreRoot() {
        let root = RuntimePaths.forDaemon(DaemonConfiguration(), environment: [:], isRoot: true, workingDirectory: "/")
        #expect(root == RuntimePaths(stateDirectory: "/var/lib/osprey", controlSocket: "/var/lib/osprey/control.sock"))
        let user = RuntimePaths.forDaemon(DaemonConfiguration(), environment: [:], isRoot: false, workingDirectory: "/home/me")
        #expect(user == RuntimePaths(stateDirectory: "/home/me/.osprey", controlSocket: "/home/me/.osprey/control.sock"))
    }

    @Test func configuredPathsWinOverEverything() {
        var configuration = DaemonConfiguration()
        configuration.daemon.stateDirectory = "/srv/osprey"
        configuration.control.socket = "/srv/osprey.sock"
        let paths = RuntimePaths.forDaemon(configuration, environment: ["STATE_DIRECTORY": "/x", "RUNTIME_DIRECTORY": "/y"], isRoot: true, workingDirectory: "/")
        #expect(paths == RuntimePaths(stateDirectory: "/srv/osprey", controlSocket: "/srv/osprey.sock"))
    }

    @Test func theCLIFindsThePackagedSocketFromAShell() {
        let found = RuntimePaths.socketForClient(DaemonConfiguration(), environment: [:], isRoot: true, workingDirectory: "/root") {
            $0 == RuntimePaths.packagedSocket
        }
        #expect(found == "/run/osprey/control.sock")
        let notRunning = RuntimePaths.socketForClient(DaemonConfiguration(), environment: [:], isRoot: true, workingDirectory: "/root") { _ in false }
        #expect(notRunning == "/var/lib/osprey/control.sock")
    }
}

@Suite struct UTCDateTimeTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00Z"),
        (Int64(951_782_400), "2000-02-29T00:00:00Z"),
        (Int64(499_162_800), "1985-10-26T08:20:00Z"),
        (Int64(1_795_316_521), "2026-11-22T03:02:01Z"),
        (Int64(-1), "1969-12-31T23:59:59Z"),
        (Int64(4_102_444_799), "2099-12-31T23:59:59Z"),
    ])
    func rendersUTC(seconds: Int64, text: String) {
        #expect(UTCDateTime(unixSeconds: seconds).rfc3339() == text)
    }

    @Test func millisecondsArePadded() {
        #expect(UTCDateTime(unixSeconds: 0).rfc3339(milliseconds: 7) == "1970-01-01T00:00:00.007Z")
    }
}
