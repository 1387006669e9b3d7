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
