/// What a reload does with a newly validated configuration: live keys take the new value, restart-only
/// keys keep the running value and are named so the operator is told a restart is needed.
public struct ConfigurationChange: Sendable, Equatable {
    /// The configuration the daemon runs with after the reload.
    public let effective: DaemonConfiguration
    /// Key paths (`http.listen`) whose new value only takes effect after a restart.
    public let restartRequired: [String]
    /// Key paths whose new value was applied live.
    public let appliedLive: [String]

    public init(running: DaemonConfiguration, loaded: DaemonConfiguration) {
        var effective = running
        var restart: [String] = []
        var live: [String] = []

        if loaded.log.level != running.log.level {
            effective.log.level = loaded.log.level
            live.append("log.level")
        }
        if loaded.secrets.masterKeyFile != running.secrets.masterKeyFile {
            effective.secrets.masterKeyFile = loaded.secrets.masterKeyFile
            live.append("secrets.master_key_file")
        }
        if loaded.jobs != running.jobs {
            effective.jobs = loaded.jobs
            live.append("job")
        }
        if loaded.scheduler != running.scheduler {
            effective.scheduler = loaded.scheduler
            live.append("scheduler")
        }
        if loaded.scanner != running.scanner {
            effective.scanner = loaded.scanner
            live.append("scanner")
        }
        if loaded.sources != running.sources {
            effective.sources = loaded.sources
            live.append("sources")
        }
        if loaded.signals != running.signals {
            effective.signals = loaded.signals
            live.append("signal")
        }
        if loaded.log.format != running.log.format { restart.append("log.format") }
        if loaded.daemon.stateDirectory != running.daemon.stateDirectory { restart.append("daemon.state_dir") }
        if loaded.http.listen != running.http.listen { restart.append("http.listen") }
        if loaded.control.socket != running.control.socket { restart.append("control.socket") }

        self.effective = effective
        self.restartRequired = restart
        self.appliedLive = live
    }
}
