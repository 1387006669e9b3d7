import OspreyCore

import Synchronization

/// The tracked tokens, their recent price history and the signals, in SQLite. A scan's writes share one
/// transaction (through the group commit); amounts are stored as decimal text. A scan appends one
/// `token_history` row per token (price, liquidity, 24 h volume); the token's own row holds its identity
/// and a checkpoint of those values, rewritten when the identity changes or the checkpoint is about
/// `checkpointAge` old, so a scan writes one row per token, not two. `load` takes the newer of the
/// checkpoint and the last history row. The age differs by token id (300–581 s), so rewrites spread over
/// scans instead of all tokens seen together coming due together. The ids of persisted tokens are kept in
/// memory, filled by `load` and by inserts.
public final class MarketTables: MarketStore {
    let database: Database
    private let rows = Mutex<[TokenKey: TokenRow]>([:])
    /// Seconds after which a token row's price, liquidity and volume are written again (plus up to
    /// 94 % more, by id).
    static let checkpointAge = 300.0

    /// A persisted token: its id and the fields that are rewritten only when they change.
    struct TokenRow {
        var id: Int64
        var symbol: String
        var name: String
        var pairAddress: String
        var dex: String
        var quoteSymbol: String
        var createdAt: Double?
        var source: String
        /// The observation time of the values in the row (its `updated_at`).
        var savedAt: Double

        /// True when `latest` leaves the row's rarely changing fields as they are.
        func describes(_ latest: PairSnapshot) -> Bool {
            symbol == latest.symbol && name == latest.name && pairAddress == latest.pairAddress && dex == latest.dex
                && quoteSymbol == latest.quoteSymbol && createdAt == latest.createdAt && source == latest.source
        }

        init(id: Int64, _ latest: PairSnapshot) {
            self.id = id
            (symbol, name, pairAddress, dex, quoteSymbol) = (latest.symbol, latest.name, latest.pairAddress, latest.dex, latest.quoteSymbol)
            (createdAt, source, savedAt) = (latest.createdAt, latest.source, latest.observedAt)
        }
    }

    public init(_ database: Database) {
        self.database = database
    }

    public func save(_ scan: ScanRecord) async throws {
        do {
            try await database.commit { connection in try self.write(scan, connection) }
        } catch {
            rows.withLock { $0.removeAll() }  // the transaction rolled back: ids inserted by it are gone
            throw error
        }
    }

    private func write(_ scan: ScanRecord, _ connection: Connection) throws(StoreError) {
        var known = rows.withLock { rows in  // taken out, so it is changed in place, not copied (10,000 rows)
            defer { rows = [:] }
            return rows
        }
        let (tracked, slots) = (scan.tracked, scan.updated)  // tokens are read in place, not copied
        var ids: [Int64] = []
        ids.reserveCapacity(slots.count)
        var changed: [Int] = []  // positions in `slots` whose row must be inserted or rewritten
        try connection.batch("UPDATE token SET price_usd = ?, liquidity_usd = ?, volume_h24_usd = ?, updated_at = ? WHERE id = ?") {
            statement throws(StoreError) in
            for (position, slot) in slots.enumerated() {
                guard let row = known[tracked[slot].key], row.describes(tracked[slot].latest) else {
                    changed.append(position)
                    ids.append(0)
                    continue
                }
                ids.append(row.id)
                let observedAt = tracked[slot].latest.observedAt
                guard observedAt - row.savedAt >= Self.checkpointAge * (1 + Double(row.id % 16) / 16) else { continue }
                known[tracked[slot].key]?.savedAt = observedAt
                statement.bind(1, tracked[slot].latest.priceUSD)
                statement.bind(2, tracked[slot].latest.liquidityUSD)
                statement.bind(3, tracked[slot].latest.volumeUSD.h24)
                statement.bind(4, observedAt)
                statement.bind(5, row.id)
                if try statement.run() == 0 { changed.append(position) }  // deleted behind our back: insert again
            }
        }
        try connection.batch("""
            INSERT INTO token (chain, address, symbol, name, pair_address, dex, quote_symbol, price_usd, liquidity_usd,
                               volume_h24_usd, created_at, first_seen, updated_at, source)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (chain, address) DO UPDATE SET
                symbol = excluded.symbol, name = excluded.name, pair_address = excluded.pair_address, dex = excluded.dex,
                quote_symbol = excluded.quote_symbol, price_usd = excluded.price_usd, liquidity_usd = excluded.liquidity_usd,
                volume_h24_usd = excluded.volume_h24_usd, created_at = excluded.created_at,
                updated_at = excluded.updated_at, source = excluded.source
            RETURNING id
            """) { statement throws(StoreError) in
            for position in changed {
                let latest = tracked[slots[position]].latest
                statement.bind(1, latest.token.chain)
                statement.bind(2, latest.token.address)
                statement.bind(3, latest.symbol)
                statement.bind(4, latest.name)
                statement.bind(5, latest.pairAddress)
                statement.bind(6, latest.dex)
                statement.bind(7, latest.quoteSymbol)
                statement.bind(8, latest.priceUSD)
                statement.bind(9, latest.liquidityUSD)
                statement.bind(10, latest.volumeUSD.h24)
                statement.bind(11, latest.createdAt)
                statement.bind(12, tracked[slots[position]].firstSeen)
                statement.bind(13, latest.observedAt)
                statement.bind(14, latest.source)
                ids[position] = try statement.runReturningInteger()
                known[latest.token] = TokenRow(id: ids[position], latest)
            }
        }
        try connection.batch("INSERT INTO token_history (token, at, price_usd, liquidity_usd, volume_h24_usd) VALUES (?, ?, ?, ?, ?)") {
            statement throws(StoreError) in
            for (slot, id) in zip(slots, ids) {
                statement.bind(1, id)
                statement.bind(2, tracked[slot].latest.observedAt)
                statement.bind(3, tracked[slot].latest.priceUSD)
                statement.bind(4, tracked[slot].latest.liquidityUSD)
                statement.bind(5, tracked[slot].latest.volumeUSD.h24)
                try statement.run()
            }
        }
        for key in scan.evicted {  // its history ages out with the rest
            try connection.execute("DELETE FROM token WHERE chain = ? AND address = ?", [.text(key.chain), .text(key.address)])
            known[key] = nil
        }
        for signal in scan.signals {
            try connection.execute(
                "INSERT INTO signal (rule, kind, token, symbol, value, threshold, at, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [.text(signal.rule), .text(signal.kind), .text(signal.token), .text(signal.symbol), .text(signal.value.description),
                 .text(signal.threshold.description), .real(signal.at), .text(signal.message)])
        }
        try connection.execute("DELETE FROM token_history WHERE at < ?", [.real(scan.historyBefore)])
        rows.withLock { $0 = known }
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
        let (tokens, loaded) = try database.read { connection in
            var history: [Int64: [PricePoint]] = [:]
            var volumes: [Int64: Decimal?] = [:]  // of each token's newest history row
            for row in try connection.query(
                "SELECT token, at, price_usd, liquidity_usd, volume_h24_usd FROM token_history WHERE at >= ? ORDER BY at, id", [.real(historySince)]) {
                let id = row[0].integer ?? 0
                history[id, default: []].append(PricePoint(
                    at: row[1].real ?? 0, price: row[2].text.flatMap { Decimal($0) }, liquidity: row[3].text.flatMap { Decimal($0) }))
                volumes[id] = row[4].text.flatMap { Decimal($0) }
            }
            var loaded: [TokenKey: TokenRow] = [:]
            let tokens = try connection.query("""
                SELECT id, chain, address, symbol, name, pair_address, dex, quote_symbol, price_usd, liquidity_usd, volume_h24_usd,
                       created_at, first_seen, updated_at, source FROM token
                """).map { row in
                let id = row[0].integer ?? 0
                let key = TokenKey(chain: row[1].text ?? "", address: row[2].text ?? "")
                let source = row[14].text ?? ""
                var latest = PairSnapshot(
                    token: key, symbol: row[3].text ?? "", name: row[4].text ?? "", pairAddress: row[5].text ?? "", dex: row[6].text ?? "",
                    quoteSymbol: row[7].text ?? "", priceUSD: row[8].text.flatMap { Decimal($0) }, liquidityUSD: row[9].text.flatMap { Decimal($0) },
                    volumeUSD: Windows(h24: row[10].text.flatMap { Decimal($0) }), createdAt: row[11].real, source: source, observedAt: row[13].real ?? 0)
                loaded[key] = TokenRow(id: id, latest)
                if let newest = history[id]?.last, newest.at > latest.observedAt, let volume = volumes[id] {  // newer than the checkpoint
                    (latest.priceUSD, latest.liquidityUSD, latest.volumeUSD.h24, latest.observedAt) = (newest.price, newest.liquidity, volume, newest.at)
                }
                let updated = latest.observedAt
                return TrackedToken(
                    latest: latest, updatedBy: [source: updated], firstSeen: row[12].real ?? updated, lastInteresting: updated,
                    history: history[id] ?? [])
            }
            return (tokens, loaded)
        }
        rows.withLock { $0 = loaded }
        return tokens
    }
}
