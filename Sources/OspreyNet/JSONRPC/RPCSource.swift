import Metrics
import OspreyCore
import Synchronization

/// The `rpc` source: each configured chain's head, gas price (EVM) and watched wallets' balances over
/// JSON-RPC 2.0, as one batch where the node supports batches (single calls where it does not), from the
/// healthiest of the chain's providers, rotating to the next on failure.
public final class RPCSource: MarketSource {
    public let name = "rpc"
    let settings: RPCSettings
    let client: CurlHTTPClient
    let gate: any RequestGate
    private let pools: Mutex<[String: ProviderPool]>
    private let noBatch = Mutex<Set<String>>([])

    public init(settings: RPCSettings, client: CurlHTTPClient, gate: any RequestGate) {
        self.settings = settings
        self.client = client
        self.gate = gate
        pools = Mutex(Dictionary(uniqueKeysWithValues: settings.chains.map { ($0.name, ProviderPool(urls: $0.providers)) }))
        for chain in settings.chains {
            for url in chain.providers { Self.healthGauge(chain.name, url).record(1) }
        }
    }

    public func scan(refresh: [TokenKey], now: Double) async throws -> SourceBatch {
        var batch = SourceBatch(pairs: [])
        for chain in settings.chains {
            batch.chains.append(try await gate.perform("\(chain.kind.rawValue)", cost: 1) { [self] in
                await self.attempt(chain, now: now)
            })
        }
        return batch
    }

    /// One try against the chain's best provider; a failure lowers its score so the next try (the gate's
    /// retry) goes to another.
    private func attempt(_ chain: RPCSettings.Chain, now: Double) async -> GateReply<ChainState> {
        guard let index = pools.withLock({ $0[chain.name]?.order(now: now).first }) else {
            return .failure("\(chain.name): no providers", code: "no_provider")
        }
        let url = chain.providers[index]
        let calls = JSONRPCFormat.calls(for: chain)
        let reply = await call(chain, url: url, calls: calls, now: now)
        pools.withLock { pools in
            if case .success = reply { pools[chain.name]?.succeeded(index) } else { pools[chain.name]?.failed(index, now: now) }
            Self.healthGauge(chain.name, url).record(pools[chain.name]?.isHealthy(index, now: now) == true ? 1 : 0)
        }
        if case .failure(let message, let code) = reply {
            return .transient(message, code: code)  // another provider may well answer: the gate's retry rotates
        }
        return reply
    }

    private func call(_ chain: RPCSettings.Chain, url: String, calls: [JSONRPCFormat.Call], now: Double) async -> GateReply<ChainState> {
        let batched = !noBatch.withLock { $0.contains(url) } && calls.count > 1
        let bodies = batched ? [JSONRPCFormat.batchBody(calls)] : calls.map(JSONRPCFormat.body)
        var replies: [JSON] = []
        for body in bodies {
            let request = HTTPClientRequest(.post, url, headers: [("Content-Type", "application/json")], body: Array(body.utf8), timeout: settings.timeout)
            let response: HTTPClientResponse
            do {
                response = try await client.send(request)
            } catch {
                return error.gateReply()
            }
            let code = String(response.status)
            let where_ = "\(chain.name) via \(RedactedURL.host(url))"
            switch response.status {
            case 200:
                guard let document = try? JSON.parse(response.body) else { return .failure("\(where_): malformed JSON", code: "malformed") }
                if batched && document.array == nil {
                    noBatch.withLock { _ = $0.insert(url) }  // answered a batch with a single object: no batches here
                    return .transient("\(where_) does not take batches; using single calls", code: "no_batch")
                }
                replies.append(document)
            case 429:
                return .rateLimited(retryAfter: response.retryAfter(now: now), code: code)
            case 500...599:
                return .transient("HTTP \(code) from \(where_)", code: code)
            default:
                if batched && (response.status == 400 || response.status == 405 || response.status == 413) {
                    noBatch.withLock { _ = $0.insert(url) }
                    return .transient("\(where_) refused a batch (HTTP \(code)); using single calls", code: code)
                }
                return .failure("HTTP \(code) from \(where_)", code: code)
            }
        }
        do {
            return .success(try JSONRPCFormat.state(chain: chain, calls: calls, replies: replies, observedAt: now), code: "200")
        } catch {
            return .failure("\(chain.name) via \(RedactedURL.host(url)): \(error)", code: "rpc_error")
        }
    }

    static func healthGauge(_ chain: String, _ url: String) -> Gauge {
        Gauge(label: MetricCatalog.rpcProviderHealthy.name, dimensions: [("chain", chain), ("provider", RedactedURL.host(url))])
    }
}
