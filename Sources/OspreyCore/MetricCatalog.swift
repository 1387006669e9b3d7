/// Every metric Osprey exports, with its help text: the single list behind HELP lines, docs/metrics.md and
/// the dashboard checks. Label values are always from bounded sets (routes, statement kinds), never data.
public struct MetricInfo: Sendable, Hashable {
    public enum Kind: String, Sendable {
        case counter, gauge, histogram
    }

    public let name: String
    public let kind: Kind
    public let help: String
    public let labels: [String]

    public init(_ name: String, _ kind: Kind, labels: [String] = [], _ help: String) {
        self.name = name
        self.kind = kind
        self.labels = labels
        self.help = help
    }
}

public enum MetricCatalog {
    public static let buildInfo = MetricInfo(
        "osprey_build_info", .gauge, labels: ["version", "revision", "swift_version"],
        "Always 1; the labels say which build is running.")
    public static let configReloadSuccessful = MetricInfo(
        "osprey_config_last_reload_successful", .gauge,
        "1 if the last configuration load (start or SIGHUP) succeeded, 0 if it was rejected.")
    public static let configReloadSuccessTimestamp = MetricInfo(
        "osprey_config_last_reload_success_timestamp_seconds", .gauge,
        "Unix time of the last successful configuration load.")
    public static let httpRequests = MetricInfo(
        "osprey_http_requests_total", .counter, labels: ["route", "method", "status"],
        "HTTP requests served, by matched route, method and status code.")
    public static let httpRequestDuration = MetricInfo(
        "osprey_http_request_duration_seconds", .histogram, labels: ["route"],
        "Time to serve an HTTP request, by matched route.")
    public static let httpConnectionsOpen = MetricInfo(
        "osprey_http_connections_open", .gauge,
        "Connections open on the HTTP listener.")
    public static let httpConnectionsRefused = MetricInfo(
        "osprey_http_connections_refused_total", .counter, labels: ["reason"],
        "Connections closed on accept: over [http].max_connections (total) or max_connections_per_client (per_client).")
    public static let dbQueryDuration = MetricInfo(
        "osprey_db_query_duration_seconds", .histogram, labels: ["op"],
        "SQLite statement execution time, by statement kind (select, insert, update, delete, ddl, pragma, transaction, other).")
    public static let storeFreeBytes = MetricInfo(
        "osprey_store_free_bytes", .gauge,
        "Bytes an unprivileged writer may still use on the filesystem of the state directory (statvfs f_bavail).")
    public static let componentUp = MetricInfo(
        "osprey_component_up", .gauge, labels: ["component"],
        "1 if the component is up, 0.5 if degraded, 0 if down (as in /readyz).")
    public static let watchdogPings = MetricInfo(
        "osprey_watchdog_pings_total", .counter,
        "WATCHDOG=1 notifications sent to systemd.")
    public static let watchdogStalled = MetricInfo(
        "osprey_watchdog_stalled_components", .gauge,
        "Components whose heartbeat is overdue; above 0 the watchdog pings stop.")

    public static let jobRuns = MetricInfo(
        "osprey_job_runs_total", .counter, labels: ["job", "outcome"],
        "Job runs by outcome: ok, error, timeout, or skipped (never started: previous run still going, or shed from a full queue).")
    public static let jobDuration = MetricInfo(
        "osprey_job_duration_seconds", .histogram, labels: ["job"],
        "Time from a run's start to its end, every outcome but skipped.")
    public static let jobLastSuccess = MetricInfo(
        "osprey_job_last_success_timestamp_seconds", .gauge, labels: ["job"],
        "Unix time the job last finished with outcome ok (kept across restarts; absent until it has).")
    public static let jobRunning = MetricInfo(
        "osprey_job_running", .gauge, labels: ["job"],
        "Runs of the job executing now.")
    public static let jobNextRun = MetricInfo(
        "osprey_job_next_run_timestamp_seconds", .gauge, labels: ["job"],
        "Unix time the job is next due (0 when disabled); a value far in the past means the scheduler is stuck.")
    public static let jobDropped = MetricInfo(
        "osprey_job_dropped_total", .counter, labels: ["job"],
        "Runs shed because the run queue was full of higher-priority work.")
    public static let jobQueueDepth = MetricInfo(
        "osprey_job_queue_depth", .gauge,
        "Runs waiting for a worker.")
    public static let jobLateness = MetricInfo(
        "osprey_job_start_lateness_seconds", .histogram,
        "Time from a run's due time (after jitter) to its start: timer delay plus waiting for a worker.")

    public static let sourceUp = MetricInfo(
        "osprey_source_up", .gauge, labels: ["source"],
        "1 if the source's last scan succeeded, 0 if it failed (errors, rate limits, open circuit).")
    public static let sourceRequests = MetricInfo(
        "osprey_source_requests_total", .counter, labels: ["source", "endpoint", "code"],
        "Requests to market sources by endpoint and outcome: an HTTP status, or timeout, connection, tls, too_large, malformed.")
    public static let sourceRequestDuration = MetricInfo(
        "osprey_source_request_duration_seconds", .histogram, labels: ["source", "endpoint"],
        "Time of one request to a market source, by endpoint.")
    public static let sourceRateLimited = MetricInfo(
        "osprey_source_rate_limited_total", .counter, labels: ["source"],
        "Replies asking Osprey to slow down (429, 418, 503 with Retry-After); each one is obeyed.")
    public static let sourceCircuitState = MetricInfo(
        "osprey_source_circuit_state", .gauge, labels: ["source"],
        "The source's circuit breaker: 0 closed, 1 half-open, 2 open.")
    public static let sourceDataAge = MetricInfo(
        "osprey_source_data_age_seconds", .gauge, labels: ["source"],
        "Seconds since the source last delivered data.")
    public static let cacheRequests = MetricInfo(
        "osprey_cache_requests_total", .counter, labels: ["cache", "result"],
        "Lookups in a response cache, by result (hit or miss).")
    public static let tokensTracked = MetricInfo(
        "osprey_tokens_tracked", .gauge,
        "Tokens in the tracked set.")
    public static let signals = MetricInfo(
        "osprey_signals_total", .counter, labels: ["rule"],
        "Signals raised, by rule name.")

    public static let rpcProviderHealthy = MetricInfo(
        "osprey_rpc_provider_healthy", .gauge, labels: ["chain", "provider"],
        "1 while the RPC provider (host only, never its key) answers, 0 while it rests after failures.")

    public static let orders = MetricInfo(
        "osprey_orders_total", .counter, labels: ["exchange", "side", "type", "status"],
        "Order transitions into a ledger status (pending, unknown, open, filled, canceled, rejected, expired, not_placed).")
    public static let orderAck = MetricInfo(
        "osprey_order_ack_seconds", .histogram, labels: ["exchange"],
        "Time from the intent being committed to the exchange's answer to the order request.")
    public static let fills = MetricInfo("osprey_fills_total", .counter, labels: ["exchange"], "Fills recorded in the ledger (each once).")
    public static let positionQuote = MetricInfo(
        "osprey_position_quote", .gauge, labels: ["symbol"], "Value of an open position in the quote asset (at the latest price, else at cost).")
    public static let realizedPnL = MetricInfo(
        "osprey_realized_pnl_quote", .gauge, "Realized profit and loss in the quote asset, rebuilt from every recorded fill.")
    public static let unrealizedPnL = MetricInfo(
        "osprey_unrealized_pnl_quote", .gauge, "Unrealized profit and loss of open positions at the latest prices, in the quote asset.")
    public static let balance = MetricInfo("osprey_balance", .gauge, labels: ["asset"], "Free balance on the trading exchange, per asset.")
    public static let exchangeWeightUsed = MetricInfo(
        "osprey_exchange_weight_used", .gauge, "Request weight used this minute on the trading exchange (X-MBX-USED-WEIGHT-1M).")
    public static let exchangeUp = MetricInfo(
        "osprey_exchange_up", .gauge, "1 if the last request to the trading exchange got an answer, 0 if it failed.")
    public static let exchangeClockOffset = MetricInfo(
        "osprey_exchange_clock_offset_seconds", .gauge, "Exchange clock minus local clock, measured from /api/v3/time.")
    public static let killSwitchActive = MetricInfo(
        "osprey_kill_switch_active", .gauge, "1 while the kill switch stops new entries (cleared only by `osprey trading resume`).")
    public static let ordersUnknown = MetricInfo(
        "osprey_orders_unknown", .gauge, "Orders whose outcome is not yet known (pending or unknown), awaiting reconciliation.")

    public static let all: [MetricInfo] = [
        buildInfo, configReloadSuccessful, configReloadSuccessTimestamp, httpRequests, httpRequestDuration,
        httpConnectionsOpen, httpConnectionsRefused, dbQueryDuration, storeFreeBytes, componentUp, watchdogPings, watchdogStalled,
        jobRuns, jobDuration, jobLastSuccess, jobRunning, jobNextRun, jobDropped, jobQueueDepth, jobLateness,
        sourceUp, sourceRequests, sourceRequestDuration, sourceRateLimited, sourceCircuitState, sourceDataAge,
        cacheRequests, tokensTracked, signals, rpcProviderHealthy,
        orders, orderAck, fills, positionQuote, realizedPnL, unrealizedPnL, balance, exchangeWeightUsed, exchangeUp,
        exchangeClockOffset, killSwitchActive, ordersUnknown,
    ]

    private static let byName: [String: MetricInfo] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    public static func info(named name: String) -> MetricInfo? {
        byName[name]
    }
}
