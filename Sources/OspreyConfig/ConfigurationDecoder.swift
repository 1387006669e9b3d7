import OspreyCore

/// Turns a merged TOML tree into a validated `DaemonConfiguration`, collecting every problem.
/// Keys (see etc/osprey/osprey.toml for the commented reference):
///
/// | key              | type   | default                       | applied |
/// |------------------|--------|-------------------------------|---------|
/// | daemon.state_dir | string | $STATE_DIRECTORY, /var/lib/osprey (root), ./.osprey | restart |
/// | log.level        | string | "info"                        | live    |
/// | log.format       | string | "auto"                        | restart |
/// | http.listen      | string | "127.0.0.1:7469"              | restart |
/// | http.idle_timeout, max_connections, max_connections_per_client | duration, integers | 30s, 512, 64 | restart |
/// | control.socket   | string | "" ($RUNTIME_DIRECTORY/control.sock or <state_dir>/control.sock) | restart |
/// | secrets.master_key_file | string | "/etc/osprey/master.key" | live  |
/// | scheduler.workers | integer 1–64 | 4                            | live    |
/// | scheduler.queue_size | integer 1–100000 | 256                   | live    |
/// | [[job]] …        | see ConfigurationDecoder+Jobs.swift           | live    |
/// | [scanner], [sources.*], [[signal]] | see ConfigurationDecoder+Market.swift | live |
/// | [trading], [risk], [exchanges.binance] | see ConfigurationDecoder+Trading.swift | mostly live |
public enum ConfigurationDecoder {
    static let sections = ["daemon", "log", "http", "control", "secrets", "scheduler", "scanner", "sources", "trading", "risk", "exchanges"]

    public static func decode(_ root: TOMLTable) -> Result<DaemonConfiguration, ConfigurationErrors> {
        var configuration = DaemonConfiguration()
        var problems: [ConfigurationProblem] = []
        var top = SectionReader(root, path: "")

        for name in sections {
            guard let value = top.value(name) else { continue }
            guard case .table(let table) = value.kind else {
                top.report(value, key: name, "expected a table ([\(name)]), found \(value.typeDescription)")
                continue
            }
            var reader = SectionReader(table, path: name)
            switch name {
            case "daemon": decodeDaemon(&reader, into: &configuration.daemon)
            case "log": decodeLog(&reader, into: &configuration.log)
            case "http": decodeHTTP(&reader, into: &configuration.http)
            case "secrets": decodeSecrets(&reader, into: &configuration.secrets)
            case "scheduler": decodeScheduler(&reader, into: &configuration.scheduler)
            case "scanner": decodeScanner(&reader, into: &configuration.scanner)
            case "sources": decodeSources(&reader, into: &configuration.sources)
            case "trading": decodeTrading(&reader, into: &configuration.trading)
            case "risk": decodeRisk(&reader, into: &configuration.trading.risk)
            case "exchanges": decodeExchanges(&reader, into: &configuration.trading.binance)
            default: decodeControl(&reader, into: &configuration.control)
            }
            reader.finish()
            problems += reader.problems
        }
        if let jobs = top.value("job") {
            configuration.jobs = decodeJobs(jobs, problems: &problems)
            checkReferences(jobs, kind: JobKinds.scan, argument: "source", configured: configuration.sources.names, noun: "source",
                            problems: &problems)
        }
        if let signals = top.value("signal") {
            configuration.signals = decodeSignals(signals, problems: &problems)
        }
        if let strategies = top.value("strategy") {
            configuration.strategies = decodeStrategies(strategies, problems: &problems)
            checkStrategies(strategies, configuration: configuration, problems: &problems)
        }
        if let jobs = top.value("job") {
            checkReferences(jobs, kind: JobKinds.evaluate, argument: "strategy", configured: configuration.strategies.map(\.name),
                            noun: "strategy", problems: &problems)
        }
        checkLiveTrading(root, configuration: configuration, problems: &problems)
        top.finish()
        problems = top.problems + problems
        guard problems.isEmpty else {
            // Deterministic order: by file, then position (a problem without a position first in its file).
            return .failure(ConfigurationErrors(problems.sorted {
                ($0.file ?? "", $0.location?.line ?? 0, $0.location?.column ?? 0) < ($1.file ?? "", $1.location?.line ?? 0, $1.location?.column ?? 0)
            }))
        }
        return .success(configuration)
    }

    static func decodeDaemon(_ reader: inout SectionReader, into settings: inout DaemonSettings) {
        if let (path, value) = reader.string("state_dir") {
            if !path.isEmpty && !path.hasPrefix("/") {
                reader.report(value, key: "state_dir", "expected an absolute path (starting with '/'), found \"\(path)\"")
            } else {
                settings.stateDirectory = path
            }
        }
    }

    static func decodeLog(_ reader: inout SectionReader, into settings: inout LogSettings) {
        if let level = reader.choice("level", as: LogLevel.self) { settings.level = level }
        if let format = reader.choice("format", as: LogFormat.self) { settings.format = format }
    }

    static func decodeHTTP(_ reader: inout SectionReader, into settings: inout HTTPSettings) {
        if let (text, value) = reader.string("listen") {
            switch ListenAddress.parse(text) {
            case .success(let address): settings.listen = address
            case .failure(let error): reader.report(value, key: "listen", error.message)
            }
        }
        if let timeout = reader.duration("idle_timeout", minimum: .seconds(1)) { settings.idleTimeout = timeout }
        if let limit = reader.integer("max_connections", in: 1...100_000) { settings.maxConnections = limit }
        if let limit = reader.integer("max_connections_per_client", in: 1...100_000) { settings.maxConnectionsPerClient = limit }
    }

    static func decodeControl(_ reader: inout SectionReader, into settings: inout ControlSettings) {
        guard let (path, value) = reader.string("socket") else { return }
        if !path.isEmpty && !path.hasPrefix("/") {
            reader.report(value, key: "socket", "expected an absolute path (starting with '/'), found \"\(path)\"")
        } else if path.utf8.count > 107 {
            reader.report(value, key: "socket", "a Unix socket path may be at most 107 bytes long")
        } else {
            settings.socket = path
        }
    }

    static func decodeScheduler(_ reader: inout SectionReader, into settings: inout SchedulerSettings) {
        if let workers = reader.integer("workers", in: 1...64) { settings.workers = workers }
        if let size = reader.integer("queue_size", in: 1...100_000) { settings.queueSize = size }
    }

    static func decodeSecrets(_ reader: inout SectionReader, into settings: inout SecretsSettings) {
        guard let (path, value) = reader.string("master_key_file") else { return }
        guard path.hasPrefix("/") else {
            reader.report(value, key: "master_key_file", "expected an absolute path (starting with '/'), found \"\(path)\"")
            return
        }
        settings.masterKeyFile = path
    }
}
