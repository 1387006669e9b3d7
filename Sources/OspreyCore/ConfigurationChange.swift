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

        func applyLive<Value: Equatable>(_ path: WritableKeyPath<DaemonConfiguration, Value>, _ key: String) {
            guard loaded[keyPath: path] != running[keyPath: path] else { return }
            effective[keyPath: path] = loaded[keyPath: path]
            live.append(key)
        }
        applyLive(\.log.level, "log.level")
        applyLive(\.secrets.masterKeyFile, "secrets.master_key_file")
        applyLive(\.jobs, "job")
        applyLive(\.scheduler, "scheduler")
        applyLive(\.scanner, "scanner")
        applyLive(\.sources, "sources")
        applyLive(\.signals, "signal")
        applyLive(\.trading.quoteAsset, "trading.quote_asset")
        applyLive(\.trading.risk, "risk")
        applyLive(\.strategies, "strategy")
        if loaded.log.format != running.log.format { restart.append("log.format") }
        if loaded.daemon.stateDirectory != running.daemon.stateDirectory { restart.append("daemon.state_dir") }
        if loaded.http.listen != running.http.listen { restart.append("http.listen") }
        if loaded.http.idleTimeout != running.http.idleTimeout { restart.append("http.idle_timeout") }
        if loaded.http.maxConnections != running.http.maxConnections { restart.append("http.max_connections") }
        if loaded.http.maxConnectionsPerClient != running.http.maxConnectionsPerClient { restart.append("http.max_connections_per_client") }
        if loaded.control.socket != running.control.socket { restart.append("control.socket") }
        if loaded.trading.mode != running.trading.mode { restart.append("trading.mode") }
        if loaded.trading.paper != running.trading.paper { restart.append("trading.paper") }
        if loaded.trading.binance != running.trading.binance { restart.append("exchanges.binance") }

        self.effective = effective
        self.restartRequired = restart
        self.appliedLive = live
    }
}
