import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// A local JSON-RPC 2.0 node (POST /): EVM `eth_blockNumber`, `eth_gasPrice`, `eth_getBalance` (hex
/// quantities) or Solana `getSlot`, `getBalance` (`{context, value}` in lamports). Batches are answered as
/// arrays when `batches` is on; otherwise a batch gets the single error object such nodes send
/// (-32600 invalid request). `failing` makes every reply an HTTP 503.
public final class FakeRPCNode: Sendable {
    public enum Kind: Sendable { case evm, solana }

    private struct State {
        var failing = false
        var requests = 0
        var calls: [String] = []
        var balances: [String: String] = [:]
        var gasPriceWei = "0x6fc23ac00"  // 30 gwei
    }

    private let state = Mutex(State())
    public let kind: Kind
    public let batches: Bool

    public init(kind: Kind, batches: Bool = true) {
        self.kind = kind
        self.batches = batches
    }

    public func setFailing(_ failing: Bool) { state.withLock { $0.failing = failing } }
    public func setBalance(_ address: String, _ value: String) { state.withLock { $0.balances[address] = value } }
    public func setGasPrice(_ hexWei: String) { state.withLock { $0.gasPriceWei = hexWei } }
    /// HTTP requests received, failed ones included.
    public var requests: Int { state.withLock { $0.requests } }
    /// Methods called, in order (a batch's calls each appear).
    public var calls: [String] { state.withLock { $0.calls } }

    public var router: Router<BasicRequestContext> {
        let router = Router()
        router.post("/") { request, _ in
            let body = try await request.body.collect(upTo: 1 << 20)
            let document = try JSONSerialization.jsonObject(with: Data(body.readableBytesView))
            if self.state.withLock({ state in
                state.requests += 1
                return state.failing
            }) {
                return Response(status: .serviceUnavailable, body: .init(byteBuffer: ByteBuffer(string: "upstream unavailable")))
            }
            let reply: Any
            if let batch = document as? [[String: Any]] {
                if self.batches {
                    reply = batch.map(self.answer)
                } else {
                    reply = ["jsonrpc": "2.0", "id": NSNull(), "error": ["code": -32600, "message": "batch requests are not supported"]] as [String: Any]
                }
            } else if let call = document as? [String: Any] {
                reply = self.answer(call)
            } else {
                reply = ["jsonrpc": "2.0", "id": NSNull(), "error": ["code": -32700, "message": "parse error"]] as [String: Any]
            }
            let data = try JSONSerialization.data(withJSONObject: reply)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: Array(data))))
        }
        return router
    }

    private func answer(_ call: [String: Any]) -> [String: Any] {
        let method = call["method"] as? String ?? ""
        let params = call["params"] as? [Any] ?? []
        let (balances, gas) = state.withLock { state in
            state.calls.append(method)
            return (state.balances, state.gasPriceWei)
        }
        let id = call["id"] ?? NSNull()
        let result: Any
        switch (kind, method) {
        case (.evm, "eth_blockNumber"): result = "0x1396a2f"
        case (.evm, "eth_gasPrice"): result = gas
        case (.evm, "eth_getBalance"): result = balances[params.first as? String ?? ""] ?? "0x0"
        case (.solana, "getSlot"): result = 301_234_567
        case (.solana, "getBalance"):
            result = ["context": ["slot": 301_234_567], "value": Int(balances[params.first as? String ?? ""] ?? "0") ?? 0] as [String: Any]
        default:
            return ["jsonrpc": "2.0", "id": id, "error": ["code": -32601, "message": "the method \(method) does not exist/is not available"]]
        }
        return ["jsonrpc": "2.0", "id": id, "result": result]
    }
}
