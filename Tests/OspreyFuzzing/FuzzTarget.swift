#if canImport(Glibc)
import Glibc
#endif
import OspreyConfig
import OspreyControlClient
import OspreyCore
import OspreyCrypto
import OspreyNet

/// Every parser that reads bytes from outside the process: configuration files, JSON from the venues,
/// Fernet tokens from the key store, control-API request bodies. Each is called the way the daemon calls
/// it; any input may be refused with an error, none may crash or hang. libFuzzer drives these through
/// `LLVMFuzzerTestOneInput` (`.ci/fuzz`); `FuzzCorpusTests` replays the seed corpus and a deterministic
/// mutation run in every test run.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case toml, json, fernet, control, binance, dexscreener, jsonrpc

    static let keyStore = Fernet(key: try! FernetKey(bytes: Array(0..<32)))
    static let chains = [
        RPCSettings.Chain(name: "eth", kind: .evm, providers: ["http://127.0.0.1:1"], wallets: ["0x00000000219ab540356cbb839cbe05303d7705fa"]),
        RPCSettings.Chain(name: "sol", kind: .solana, providers: ["http://127.0.0.1:1"], wallets: ["11111111111111111111111111111111"]),
    ]

    /// Feeds `bytes` to the parser; the result is thrown away (a refusal is a fine answer).
    public func run(_ bytes: UnsafeRawBufferPointer) {
        let input = Array(bytes)
        switch self {
        case .toml:
            _ = try? TOMLParser.parse(String(decoding: input, as: UTF8.self), file: "fuzz.toml")
        case .json:
            guard let document = try? JSON.parse(input) else { return }
            Self.walk(document, depth: 0)
        case .fernet:
            _ = try? Self.keyStore.decrypt(String(decoding: input, as: UTF8.self), ttl: 60, now: 1_700_000_000)
        case .control:
            _ = ControlCodec.decode(TradeRequestPayload.self, from: input)
            _ = ControlCodec.decode(CancelRequestPayload.self, from: input)
        case .binance:
            guard let document = try? JSON.parse(input) else { return }
            _ = try? BinanceFormat.order(document)
            _ = try? BinanceFormat.orders(document)
            _ = try? BinanceFormat.trades(document, clientOrderId: "osp1-1")
            _ = try? BinanceFormat.balances(document)
            _ = try? BinanceFormat.serverTime(document)
            _ = BinanceFormat.errorCode(document)
            _ = BinanceFormat.error(document)
            _ = try? BinanceFormat.klines(document)
            _ = try? BinanceFormat.exchangeInfo(document)
            _ = try? BinanceFormat.tickers(document, quoteAssets: ["USDT", "BTC"], observedAt: 1_700_000_000)
        case .dexscreener:
            guard let document = try? JSON.parse(input) else { return }
            _ = try? DexScreenerFormat.pairs(document, source: "dexscreener", observedAt: 1_700_000_000)
            _ = try? DexScreenerFormat.discoveredTokens(document)
        case .jsonrpc:
            guard let document = try? JSON.parse(input) else { return }
            for chain in Self.chains {
                _ = try? JSONRPCFormat.state(chain: chain, calls: JSONRPCFormat.calls(for: chain), replies: [document], observedAt: 1_700_000_000)
            }
        }
    }

    /// Reads every value the way a decoder would: numbers as decimals and integers, strings, members.
    static func walk(_ value: JSON, depth: Int) {
        _ = value.string
        _ = value.integer
        _ = value.decimal
        if let items = value.array {
            for item in items { walk(item, depth: depth + 1) }
        }
    }
}

/// The libFuzzer entry point: `OSPREY_FUZZ_TARGET` names the target (read once).
let selectedTarget: FuzzTarget = {
    guard let name = getenv("OSPREY_FUZZ_TARGET").map({ String(cString: $0) }), let target = FuzzTarget(rawValue: name) else {
        fatalError("OSPREY_FUZZ_TARGET must be one of \(FuzzTarget.allCases.map(\.rawValue))")
    }
    return target
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    selectedTarget.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
