import OspreyCore

/// The tracked tokens, their recent snapshots and the signals, in SQLite. A scan's writes share one
/// transaction (through the group commit); amounts are stored as decimal text.
public struct MarketTables: MarketStore {
    let database: Database

    public init(_ database: Database) {
        self.database = database
    }

    public func save(tokens: [TrackedToken], evicted: [TokenKey], signals: [Signal], historyBefore: Double) async throws {
        try await database.commit { connection in
            for token in tokens {
                let latest = token.latest
                try connection.execute("""
                    INSERT INTO token (chain, address, symbol, name, pair_address, dex, quote_symbol, price_usd, liquidity_usd,
                                       volume_h24_usd, created_at, first_seen, updated_at, source)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (chain, address) DO UPDATE SET
                        symbol = excluded.symbol, name = excluded.name, pair_address = excluded.pair_address, dex = excluded.dex,
                        quote_symbol = excluded.quote_symbol, price_usd = excluded.price_usd, liquidity_usd = excluded.liquidity_usd,
                        volume_h24_usd = excluded.volume_h24_usd, created_at = excluded.created_at,
                        updated_at = excluded.updated_at, source = excluded.source
                    """, [
                        .text(token.key.chain), .text(token.key.address), .text(latest.symbol), .text(latest.name),
                        .text(latest.pairAddress), .text(latest.dex), .text(latest.quoteSymbol), Self.text(latest.priceUSD),
                        Self.text(latest.liquidityUSD), Self.text(latest.volumeUSD.h24), latest.createdAt.map { .real($0) } ?? .null,
                        .real(token.firstSeen), .real(latest.observedAt), .text(latest.source),
                    ])
                try connection.execute(
                    "INSERT OR IGNORE INTO token_snapshot (chain, address, at, price_usd, liquidity_usd) VALUES (?, ?, ?, ?, ?)",
                    [.text(token.key.chain), .text(token.key.address), .real(latest.observedAt), Self.text(latest.priceUSD), Self.text(latest.liquidityUSD)])
            }
            for key in evicted {
                try connection.execute("DELETE FROM token WHERE chain = ? AND address = ?", [.text(key.chain), .text(key.address)])
                try connection.execute("DELETE FROM token_snapshot WHERE chain = ? AND address = ?", [.text(key.chain), .text(key.address)])
            }
            for signal in signals {
                try connection.execute(
                    "INSERT INTO signal (rule, kind, token, symbol, value, threshold, at, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [.text(signal.rule), .text(signal.kind), .text(signal.token), .text(signal.symbol), .text(signal.value.description),
                     .text(signal.threshold.description), .real(signal.at), .text(signal.message)])
            }
            try connection.execute("DELETE FROM token_snapshot WHERE at < ?", [.real(historyBefore)])
        }
    }

    public func signals(since: Double, limit: Int) throws -> [Signal] {
        try database.read { connection in
            try connection.query(
                "SELECT rule, kind, token, symbol, value, threshold, at, message FROM signal WHERE at >= ? ORDER BY at DESC, id DESC LIMIT ?",
                [.real(since), .integer(Int64(limit))]
            ).map { row in
                Signal(
                    rule: row[0].text ?? "", kind: row[1].text ?? "", token: row[2].text ?? "", symbol: row[3].text ?? "",
                    value: row[4].text.flatMap { Decimal($0) } ?? .zero, threshold: row[5].text.flatMap { Decimal($0) } ?? .zero,
                    at: row[6].real ?? 0, message: row[7].text ?? "")
            }
        }
    }

    public func load(historySince: Double) throws -> [TrackedToken] {
        try database.read { connection in
            var history: [String: [PricePoint]] = [:]
            for row in try connection.query(
                "SELECT chain, address, at, price_usd, liquidity_usd FROM token_snapshot WHERE at >= ? ORDER BY chain, address, at",
                [.real(historySince)]) {
                history["\(row[0].text ?? ""):\(row[1].text ?? "")", default: []].append(PricePoint(
                    at: row[2].real ?? 0, price: row[3].text.flatMap { Decimal($0) }, liquidity: row[4].text.flatMap { Decimal($0) }))
            }
            return try connection.query("""
                SELECT chain, address, symbol, name, pair_address, dex, quote_symbol, price_usd, liquidity_usd, volume_h24_usd,
                       created_at, first_seen, updated_at, source FROM token
                """).map { row in
                let key = TokenKey(chain: row[0].text ?? "", address: row[1].text ?? "")
                let updated = row[12].real ?? 0
                let source = row[13].text ?? ""
                let latest = PairSnapshot(
                    token: key, symbol: row[2].text ?? "", name: row[3].text ?? "", pairAddress: row[4].text ?? "", dex: row[5].text ?? "",
                    quoteSymbol: row[6].text ?? "", priceUSD: row[7].text.flatMap { Decimal($0) }, liquidityUSD: row[8].text.flatMap { Decimal($0) },
                    volumeUSD: Windows(h24: row[9].text.flatMap { Decimal($0) }), createdAt: row[10].real, source: source, observedAt: updated)
                return TrackedToken(
                    latest: latest, updatedBy: [source: updated], firstSeen: row[11].real ?? updated, lastInteresting: updated,
                    history: history[key.description] ?? [])
            }
        }
    }

    static func text(_ value: Decimal?) -> SQLValue {
        value.map { .text($0.description) } ?? .null
    }
}
