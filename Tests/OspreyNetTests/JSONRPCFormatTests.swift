import OspreyCore
import OspreyNet
import Testing

/// Ethereum and Solana JSON-RPC as the RPC source speaks it: hex quantities, batches, errors.
@Suite struct JSONRPCFormatTests {
    @Test func hexQuantitiesAreExact() {
        #expect(HexQuantity.parse("0xde0b6b3a7640000").flatMap { HexQuantity.scaled($0, decimals: 18) } == Decimal(1))
        #expect(HexQuantity.parse("0x6fc23ac00").flatMap { HexQuantity.scaled($0, decimals: 9) } == Decimal(30))
        #expect(HexQuantity.parse("0x") == nil && HexQuantity.parse("12") == nil && HexQuantity.parse("0xZZ") == nil)
        #expect(HexQuantity.parse("0x" + String(repeating: "f", count: 33)) == nil, "more than 128 bits")
    }

    @Test func jsonRPCRepliesMatchByIdInAnyOrder() throws {
        let chain = RPCSettings.Chain(name: "ethereum", kind: .evm, providers: ["x"], wallets: ["0xw"])
        let calls = JSONRPCFormat.calls(for: chain)
        #expect(JSONRPCFormat.batchBody(calls) == #"[{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]},{"jsonrpc":"2.0","id":2,"method":"eth_gasPrice","params":[]},{"jsonrpc":"2.0","id":3,"method":"eth_getBalance","params":["0xw","latest"]}]"#)
        let reply = try JSON.parse(Array(#"[{"jsonrpc":"2.0","id":3,"result":"0x0"},{"jsonrpc":"2.0","id":1,"result":"0x10"},{"jsonrpc":"2.0","id":2,"result":"0x3b9aca00"}]"#.utf8))
        let state = try JSONRPCFormat.state(chain: chain, calls: calls, replies: [reply], observedAt: 5)
        #expect(state.height == 16 && state.gasPriceGwei == Decimal(1) && state.balances["0xw"] == .zero)
        let error = try JSON.parse(Array(#"{"jsonrpc":"2.0","id":1,"error":{"code":-32005,"message":"limit exceeded"}}"#.utf8))
        #expect(throws: JSONRPCFormat.ReplyError.self) { try JSONRPCFormat.state(chain: chain, calls: calls, replies: [error], observedAt: 5) }
    }
}
