import OspreyCore

/// What each component follows of the configuration after a reload. A reload that changes nothing a
/// component reads never reaches it; which keys are live is what these hold (restart-only keys keep their
/// running values in the effective configuration, so they never differ here).
struct ScannerInputs: Equatable, Sendable {
    var scanner: ScannerSettings
    var sources: SourcesSettings
    var signals: [SignalRule]

    init(_ configuration: DaemonConfiguration) {
        (scanner, sources, signals) = (configuration.scanner, configuration.sources, configuration.signals)
    }
}

struct TradingInputs: Equatable, Sendable {
    var trading: TradingSettings
    var strategies: [StrategySpec]

    init(_ configuration: DaemonConfiguration) {
        (trading, strategies) = (configuration.trading, configuration.strategies)
    }
}

struct SchedulerInputs: Equatable, Sendable {
    var scheduler: SchedulerSettings
    var jobs: [JobSpec]

    init(_ configuration: DaemonConfiguration) {
        (scheduler, jobs) = (configuration.scheduler, configuration.jobs)
    }
}
