import Logging
import Metrics
import NIOCore
import OspreyCore
import Synchronization

/// The HTTP listener's connection budget: at most `total` connections open, at most `perClient` from one
/// address. A connection over either is closed as soon as it is accepted, so a flood holds a bounded number
/// of descriptors (the control socket and the database keep theirs) and costs the daemon one accept and
/// one close per attempt. Refusals are counted, and logged at most once a minute.
final class ConnectionBudget: Sendable {
    enum Refusal: String {
        case total
        case perClient = "per_client"
    }

    private struct State {
        var open = 0
        var byClient: [String: Int] = [:]
        var lastLogged: ContinuousClock.Instant?
        var refusedSinceLog = 0
    }

    let total: Int
    let perClient: Int
    private let logger: Logger
    private let state = Mutex(State())
    private let openGauge = Gauge(label: MetricCatalog.httpConnectionsOpen.name)
    private let refusedTotal = Counter(label: MetricCatalog.httpConnectionsRefused.name, dimensions: [("reason", Refusal.total.rawValue)])
    private let refusedPerClient = Counter(label: MetricCatalog.httpConnectionsRefused.name, dimensions: [("reason", Refusal.perClient.rawValue)])

    init(total: Int, perClient: Int, logger: Logger) {
        (self.total, self.perClient, self.logger) = (total, perClient, logger)
    }

    /// Takes a place for a connection from `client`, or says why there is none.
    func admit(_ client: String) -> Refusal? {
        let (refusal, open, logRefusals): (Refusal?, Int, Int?) = state.withLock { state in
            let refusal: Refusal? = state.open >= total ? .total : (state.byClient[client] ?? 0) >= perClient ? .perClient : nil
            guard let refusal else {
                state.open += 1
                state.byClient[client, default: 0] += 1
                return (nil, state.open, nil)
            }
            state.refusedSinceLog += 1
            let now = ContinuousClock.now
            guard state.lastLogged.map({ $0.duration(to: now) >= .seconds(60) }) ?? true else { return (refusal, state.open, nil) }
            defer { (state.lastLogged, state.refusedSinceLog) = (now, 0) }
            return (refusal, state.open, state.refusedSinceLog)
        }
        openGauge.record(open)
        switch refusal {
        case .total?: refusedTotal.increment()
        case .perClient?: refusedPerClient.increment()
        case nil: break
        }
        if let refusal, let logRefusals {
            logger.warning("refusing HTTP connections", metadata: [
                "reason": "\(refusal.rawValue)", "open": "\(open)", "max_connections": "\(total)",
                "max_connections_per_client": "\(perClient)", "refused": "\(logRefusals)",
            ])
        }
        return refusal
    }

    func release(_ client: String) {
        let open = state.withLock { state in
            state.open -= 1
            if let count = state.byClient[client], count > 1 { state.byClient[client] = count - 1 } else { state.byClient[client] = nil }
            return state.open
        }
        openGauge.record(open)
    }
}

/// In every connection's pipeline: takes a place in the budget when the connection becomes active, closes
/// it at once if there is none, and gives the place back when it closes. It also puts a `RequestLineGuard`
/// in front of the HTTP parser.
final class ConnectionLimiter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    let budget: ConnectionBudget
    private var client: String?

    init(_ budget: ConnectionBudget) {
        self.budget = budget
    }

    func handlerAdded(context: ChannelHandlerContext) {
        try? context.pipeline.syncOperations.addHandler(RequestLineGuard(), position: .first)
        if context.channel.isActive { admit(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        if client == nil { admit(context) }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let client { budget.release(client) }
        client = nil
        context.fireChannelInactive()
    }

    private func admit(_ context: ChannelHandlerContext) {
        let address = context.channel.remoteAddress?.ipAddress ?? "unknown"
        if budget.admit(address) == nil {
            client = address
        } else {
            context.close(promise: nil)
        }
    }
}
