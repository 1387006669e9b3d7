import OspreyCore
import Testing

@Suite struct ConfigurationChangeTests {
    @Test func logLevelIsAppliedLive() {
        let running = DaemonConfiguration()
        var loaded = running
        loaded.log.level = .debug
        let change = ConfigurationChange(running: running, loaded: loaded)
        #expect(change.effective.log.level == .debug)
        #expect(change.appliedLive == ["log.level"])
        #expect(change.restartRequired.isEmpty)
    }

    @Test func restartOnlyKeysKeepTheRunningValueAndAreNamed() {
        let running = DaemonConfiguration()
        var loaded = running
        loaded.http.listen = ListenAddress(host: "0.0.0.0", port: 9000)
        loaded.control.socket = "/tmp/other.sock"
        loaded.daemon.stateDirectory = "/srv/osprey"
        loaded.log.format = .json
        let change = ConfigurationChange(running: running, loaded: loaded)
        #expect(change.effective == running)
        #expect(change.restartRequired == ["log.format", "daemon.state_dir", "http.listen", "control.socket"])
        #expect(change.appliedLive.isEmpty)
    }

    @Test func identicalConfigurationChangesNothing() {
        let change = ConfigurationChange(running: DaemonConfiguration(), loaded: DaemonConfiguration())
        #expect(change.appliedLive.isEmpty && change.restartRequired.isEmpty)
    }
}
