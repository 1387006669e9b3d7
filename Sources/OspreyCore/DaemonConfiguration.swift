/// `[daemon]`: where state lives. Restart-only.
public struct DaemonSettings: Sendable, Equatable {
    /// Empty means "derive at start" (`$STATE_DIRECTORY`, `/var/lib/osprey` as root, else `./.osprey`).
    public var stateDirectory: String

    public init(stateDirectory: String = "") {
        self.stateDirectory = stateDirectory
    }
}

/// `[http]`: the read-only observability listener. Restart-only.
public struct HTTPSettings: Sendable, Equatable {
    public var listen: ListenAddress
    /// A connection with no request in progress (just opened, half a request head, after a keep-alive
    /// reply) is closed after this long.
    public var idleTimeout: Duration
    /// Connections open at once; more are closed as soon as they are accepted.
    public var maxConnections: Int
    /// Connections open at once from one client address.
    public var maxConnectionsPerClient: Int

    public init(
        listen: ListenAddress = ListenAddress(host: "127.0.0.1", port: 7469), idleTimeout: Duration = .seconds(30),
        maxConnections: Int = 512, maxConnectionsPerClient: Int = 64
    ) {
        (self.listen, self.idleTimeout, self.maxConnections, self.maxConnectionsPerClient) = (listen, idleTimeout, maxConnections, maxConnectionsPerClient)
    }
}

/// `[control]`: the Unix socket that serves the admin CLI's commands. Restart-only.
public struct ControlSettings: Sendable, Equatable {
    /// Empty means `$RUNTIME_DIRECTORY/control.sock`, else `<state_dir>/control.sock`.
    public var socket: String

    public init(socket: String = "") {
        self.socket = socket
    }
}

/// `[secrets]`: where the master key that encrypts exchange keys lives. Applied on reload.
public struct SecretsSettings: Sendable, Equatable {
    public static let defaultMasterKeyFile = "/etc/osprey/master.key"

    /// Read when systemd gave no credential (`$CREDENTIALS_DIRECTORY/master.key` wins).
    public var masterKeyFile: String

    public init(masterKeyFile: String = SecretsSettings.defaultMasterKeyFile) {
        self.masterKeyFile = masterKeyFile
    }
}

/// The whole validated configuration. Built completely (and validated) before it replaces the running one.
public struct DaemonConfiguration: Sendable, Equatable {
    public var daemon: DaemonSettings
    public var log: LogSettings
    public var http: HTTPSettings
    public var control: ControlSettings
    public var secrets: SecretsSettings
    public var scheduler: SchedulerSettings
    public var jobs: [JobSpec]
    public var scanner: ScannerSettings
    public var sources: SourcesSettings
    public var signals: [SignalRule]
    public var trading: TradingSettings
    public var strategies: [StrategySpec]

    public init(
        daemon: DaemonSettings = DaemonSettings(),
        log: LogSettings = LogSettings(),
        http: HTTPSettings = HTTPSettings(),
        control: ControlSettings = ControlSettings(),
        secrets: SecretsSettings = SecretsSettings(),
        scheduler: SchedulerSettings = SchedulerSettings(),
        jobs: [JobSpec] = [],
        scanner: ScannerSettings = ScannerSettings(),
        sources: SourcesSettings = SourcesSettings(),
        signals: [SignalRule] = [],
        trading: TradingSettings = TradingSettings(),
        strategies: [StrategySpec] = []
    ) {
        self.daemon = daemon
        self.log = log
        self.http = http
        self.control = control
        self.secrets = secrets
        self.scheduler = scheduler
        self.jobs = jobs
        self.scanner = scanner
        self.sources = sources
        self.signals = signals
        self.trading = trading
        self.strategies = strategies
    }

    /// What runs when there is no configuration file at all: the simulated market, scanned every 10 s,
    /// with a few signal rules, so a first start shows tokens and signals without any network.
    public static var embeddedDefaults: DaemonConfiguration {
        DaemonConfiguration(
            jobs: [JobSpec(name: "scan-sim", kind: JobKinds.scan.name, timing: .every(.seconds(10)), timeout: .seconds(30), args: ["source": "sim"])],
            sources: SourcesSettings(sim: SimSourceSettings()),
            signals: [
                SignalRule(name: "new-pair", condition: .newPair(maxAge: .seconds(3600), minLiquidity: Decimal(20000))),
                SignalRule(name: "volume-spike", condition: .volumeSpike(window: .m5, factor: Decimal(5)), cooldown: .seconds(900)),
                SignalRule(name: "pump", condition: .priceMove(window: .seconds(300), percent: Decimal(10)), cooldown: .seconds(900)),
                SignalRule(name: "rug-warning", condition: .liquidityDrop(window: .seconds(600), percent: Decimal(50))),
            ])
    }
}
