/// Values over the windows DEX aggregators report: 5 minutes, 1 hour, 6 hours, 24 hours.
public struct Windows<Value: Sendable & Equatable>: Sendable, Equatable {
    public var m5: Value?
    public var h1: Value?
    public var h6: Value?
    public var h24: Value?

    public init(m5: Value? = nil, h1: Value? = nil, h6: Value? = nil, h24: Value? = nil) {
        self.m5 = m5
        self.h1 = h1
        self.h6 = h6
        self.h24 = h24
    }
}

public struct TradeCounts: Sendable, Equatable {
    public var buys: Int64
    public var sells: Int64

    public init(buys: Int64, sells: Int64) {
        self.buys = buys
        self.sells = sells
    }
}

/// A token on a chain (`solana`, `0x…` lowercase for EVM) or an exchange symbol (`binance`, `BTCUSDT`).
/// Its hash is computed once, when it is made: a scan looks each token up several times (the batch, the
/// tracked set, the store's row ids), and hashing two strings each time was a tenth of the ingest cost.
public struct TokenKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let chain: String
    public let address: String
    private let hashed: Int

    public init(chain: String, address: String) {
        self.chain = chain
        // EVM addresses are case-insensitive (EIP-55 only adds a checksum); Solana's base58 is not.
        self.address = address.hasPrefix("0x") && Self.hasUppercase(address) ? address.lowercased() : address
        var hasher = Hasher()
        hasher.combine(chain)
        hasher.combine(self.address)
        hashed = hasher.finalize()
    }

    /// Most addresses arrive lowercase already: checked in place, so those are not copied.
    private static func hasUppercase(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in bytes.contains { $0 &- UInt8(ascii: "A") < 26 } }
    }

    public static func == (lhs: TokenKey, rhs: TokenKey) -> Bool {
        lhs.hashed == rhs.hashed && lhs.chain == rhs.chain && lhs.address == rhs.address
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(hashed)
    }

    public var description: String { "\(chain):\(address)" }

    public static func < (lhs: TokenKey, rhs: TokenKey) -> Bool {
        (lhs.chain, lhs.address) < (rhs.chain, rhs.address)
    }
}

/// One source's view of one trading pair at one moment. Every amount is an exact decimal.
public struct PairSnapshot: Sendable, Equatable {
    public var token: TokenKey
    public var symbol: String
    public var name: String
    public var pairAddress: String
    public var dex: String
    public var quoteSymbol: String
    public var priceUSD: Decimal?
    public var liquidityUSD: Decimal?
    public var volumeUSD: Windows<Decimal>
    public var priceChangePercent: Windows<Decimal>
    public var trades: Windows<TradeCounts>
    /// When the pair was created (Unix seconds), when the source says.
    public var createdAt: Double?
    public var source: String
    public var observedAt: Double

    public init(
        token: TokenKey, symbol: String, name: String = "", pairAddress: String = "", dex: String = "", quoteSymbol: String = "",
        priceUSD: Decimal?, liquidityUSD: Decimal? = nil, volumeUSD: Windows<Decimal> = .init(),
        priceChangePercent: Windows<Decimal> = .init(), trades: Windows<TradeCounts> = .init(), createdAt: Double? = nil,
        source: String, observedAt: Double
    ) {
        self.token = token
        self.symbol = symbol
        self.name = name
        self.pairAddress = pairAddress
        self.dex = dex
        self.quoteSymbol = quoteSymbol
        self.priceUSD = priceUSD
        self.liquidityUSD = liquidityUSD
        self.volumeUSD = volumeUSD
        self.priceChangePercent = priceChangePercent
        self.trades = trades
        self.createdAt = createdAt
        self.source = source
        self.observedAt = observedAt
    }
}
