import OspreyCore

/// JSON-RPC 2.0 calls for chain state: EVM `eth_blockNumber`, `eth_gasPrice`, `eth_getBalance`; Solana
/// `getSlot`, `getBalance`. Requests are built as text; replies matched by id, in any order.
public enum JSONRPCFormat {
    public struct Call: Sendable, Equatable {
        public let id: Int
        public let method: String
        /// Parameters as JSON text, e.g. `["0xabc", "latest"]`.
        public let params: String
        /// What the result means: the head, the gas price, or a wallet's balance.
        public let subject: Subject
    }

    public enum Subject: Sendable, Equatable {
        case height, gasPrice, balance(String)
    }

    public static func calls(for chain: RPCSettings.Chain) -> [Call] {
        var calls: [Call] = []
        switch chain.kind {
        case .evm:
            calls.append(Call(id: 1, method: "eth_blockNumber", params: "[]", subject: .height))
            calls.append(Call(id: 2, method: "eth_gasPrice", params: "[]", subject: .gasPrice))
            for (offset, wallet) in chain.wallets.enumerated() {
                calls.append(Call(id: 3 + offset, method: "eth_getBalance", params: #"["\#(escaped(wallet))","latest"]"#, subject: .balance(wallet)))
            }
        case .solana:
            calls.append(Call(id: 1, method: "getSlot", params: "[]", subject: .height))
            for (offset, wallet) in chain.wallets.enumerated() {
                calls.append(Call(id: 2 + offset, method: "getBalance", params: #"["\#(escaped(wallet))"]"#, subject: .balance(wallet)))
            }
        }
        return calls
    }

    public static func body(_ call: Call) -> String {
        #"{"jsonrpc":"2.0","id":\#(call.id),"method":"\#(call.method)","params":\#(call.params)}"#
    }

    public static func batchBody(_ calls: [Call]) -> String {
        "[" + calls.map(body).joined(separator: ",") + "]"
    }

    public struct ReplyError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// The chain's state from the replies (one document per call, or one array for a batch).
    public static func state(
        chain: RPCSettings.Chain, calls: [Call], replies: [JSON], observedAt: Double
    ) throws(ReplyError) -> ChainState {
        var results: [Int: JSON] = [:]
        for reply in replies {
            let items = reply.array ?? [reply]
            for item in items {
                if let error = item["error"] {
                    let message = error["message"]?.string ?? "error"
                    throw ReplyError(description: "JSON-RPC error \(error["code"]?.integer.map(String.init) ?? "?"): \(message)")
                }
                guard let id = item["id"]?.integer, let result = item["result"] else {
                    throw ReplyError(description: "a JSON-RPC reply without an id and a result")
                }
                results[Int(id)] = result
            }
        }
        var state = ChainState(chain: chain.name, observedAt: observedAt)
        for call in calls {
            guard let result = results[call.id] else { throw ReplyError(description: "no reply to \(call.method) (id \(call.id))") }
            switch (chain.kind, call.subject) {
            case (.evm, .height):
                state.height = result.string.flatMap(HexQuantity.parse).map { Int64(clamping: $0) }
            case (.evm, .gasPrice):
                state.gasPriceGwei = result.string.flatMap(HexQuantity.parse).flatMap { HexQuantity.scaled($0, decimals: 9) }
            case (.evm, .balance(let wallet)):
                state.balances[wallet] = result.string.flatMap(HexQuantity.parse).flatMap { HexQuantity.scaled($0, decimals: 18) }
            case (.solana, .height):
                state.height = result.integer
            case (.solana, .balance(let wallet)):
                state.balances[wallet] = result["value"]?.integer.flatMap { $0 >= 0 ? HexQuantity.scaled(UInt128($0), decimals: 9) : nil }
            case (.solana, .gasPrice):
                break
            }
            let missing: Bool = switch call.subject {
            case .height: state.height == nil
            case .gasPrice: chain.kind == .evm && state.gasPriceGwei == nil
            case .balance(let wallet): state.balances[wallet] == nil
            }
            if missing { throw ReplyError(description: "\(call.method) returned an unexpected result") }
        }
        return state
    }

    static func escaped(_ text: String) -> String {
        text.filter { $0 != "\"" && $0 != "\\" }
    }
}

extension JSONRPCFormat.ReplyError: CodedError {
    public var code: String { "rpc_error" }
}
