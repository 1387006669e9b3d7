import OspreyCore
import OspreyStore
import OspreyTestSupport
import Testing

@Suite struct JobRunTableTests {
    @Test func runsAreRecordedSummarisedAndListedNewestFirst() async throws {
        try await withTemporaryDirectory { dir in
            let database = try Database(directory: dir, logger: quiet)
            defer { database.close() }
            let table = JobRunTable(database)
            let first = try await table.begin(job: "backup", scheduledAt: 1000, trigger: .schedule, attempt: 1, startedAt: 1000.25)
            try await table.finish(runID: first, finishedAt: 1002.5, outcome: .ok, error: nil)
            let failed = try await table.begin(job: "backup", scheduledAt: 1600, trigger: .schedule, attempt: 1, startedAt: 1600)
            try await table.finish(runID: failed, finishedAt: 1601, outcome: .error, error: "disk full")
            _ = try await table.skipped(job: "backup", scheduledAt: 2200, trigger: .schedule, at: 2200, reason: "the previous run is still in progress")
            let manual = try await table.begin(job: "backup", scheduledAt: 9000, trigger: .manual, attempt: 1, startedAt: 9000)
            try await table.finish(runID: manual, finishedAt: 9001, outcome: .ok, error: nil)

            let summary = try #require(try table.summaries()["backup"])
            #expect(summary.lastScheduled == 2200, "manual runs do not anchor the schedule; skipped slots do")
            #expect(summary.lastSuccess == 9001)
            #expect(summary.lastRun?.id == manual)

            let history = try table.history(job: "backup", limit: 3)
            #expect(history.map(\.id) == [manual, manual - 1, failed])
            #expect(history[1].outcome == .skipped && history[1].startedAt == nil && history[1].error?.contains("in progress") == true)
            #expect(history[2] == JobRunRecord(id: failed, job: "backup", scheduledAt: 1600, trigger: .schedule, attempt: 1,
                                               startedAt: 1600, finishedAt: 1601, outcome: .error, error: "disk full"))
        }
    }

    @Test func runsLeftOpenByACrashAreClosedAsErrors() async throws {
        try await withTemporaryDirectory { dir in
            let database = try Database(directory: dir, logger: quiet)
            defer { database.close() }
            let table = JobRunTable(database)
            let open = try await table.begin(job: "scan", scheduledAt: 1000, trigger: .schedule, attempt: 1, startedAt: 1000)
            #expect(try table.summaries()["scan"]?.lastRun == nil, "a run in progress is not a last run")
            #expect(try table.closeInterrupted(at: 5000, reason: "interrupted") == 1)
            let closed = try #require(try table.history(job: "scan", limit: 1).first)
            #expect(closed.id == open && closed.outcome == .error && closed.finishedAt == 5000 && closed.error == "interrupted")
            #expect(try table.closeInterrupted(at: 6000, reason: "interrupted") == 0)
        }
    }

    @Test func pruningDeletesOldRunsButKeepsEachJobsAnchor() async throws {
        try await withTemporaryDirectory { dir in
            let database = try Database(directory: dir, logger: quiet)
            defer { database.close() }
            let table = JobRunTable(database)
            for slot in stride(from: Int64(0), to: 12_000, by: 1) {  // more than two delete batches
                let id = try await table.begin(job: "scan", scheduledAt: slot, trigger: .schedule, attempt: 1, startedAt: Double(slot))
                try await table.finish(runID: id, finishedAt: Double(slot) + 0.5, outcome: .ok, error: nil)
            }
            let yearly = try await table.begin(job: "yearly", scheduledAt: 5, trigger: .schedule, attempt: 1, startedAt: 5)
            try await table.finish(runID: yearly, finishedAt: 6, outcome: .ok, error: nil)

            let deleted = try await database.prune(before: 11_000)
            #expect(deleted == ["job_run": 11_000, "signal": 0])
            let scan = try table.history(job: "scan", limit: 20_000)
            #expect(scan.count == 1000 && scan.last?.scheduledAt == 11_000)
            #expect(try table.history(job: "yearly", limit: 5).map(\.id) == [yearly], "a job's only run anchors its next due time")
            #expect(try table.summaries()["yearly"]?.lastScheduled == 5)
        }
    }
}

@Suite struct MarketTablesTests {
    @Test func theTrackedSetAndItsHistoryComeBackAfterARestart() async throws {
        try await withTemporaryDirectory { dir in
            let database = try Database(directory: dir, logger: quiet)
            defer { database.close() }
            let tables = MarketTables(database)
            var tracker = TokenTracker(capacity: 10)
            let key = TokenKey(chain: "solana", address: "Mint1")
            for (at, price) in [(100.0, "1.5"), (200.0, "1.75"), (300.0, "0.00000123")] {
                let snapshot = PairSnapshot(token: key, symbol: "M", name: "Mint", priceUSD: Decimal(price), liquidityUSD: Decimal("50000.25"),
                                            volumeUSD: Windows(h24: Decimal("999.5")), createdAt: 50, source: "dexscreener", observedAt: at)
                let (updated, _) = tracker.ingest([snapshot], now: at)
                try await tables.save(ScanRecord(tracked: tracker.tokens, updated: updated, historyBefore: 0))
            }
            let restored = try #require(try tables.load(historySince: 150).first)
            #expect(restored.key == key && restored.latest.priceUSD?.description == "0.00000123")
            #expect(restored.latest.liquidityUSD == Decimal("50000.25") && restored.latest.volumeUSD.h24 == Decimal("999.5"))
            #expect(restored.history.map(\.at) == [200, 300] && restored.firstSeen == 100 && restored.updatedBy == ["dexscreener": 300])
            var resumed = TokenTracker(capacity: 10)
            resumed.restore([restored])
            #expect(resumed[key]?.point(secondsAgo: 100, now: 300)?.price == Decimal("1.75"), "signal windows survive the restart")
        }
    }

    @Test func aTokenWhoseIdentityChangesOrThatReturnsAfterEvictionIsRewritten() async throws {
        try await withTemporaryDirectory { dir in
            let database = try Database(directory: dir, logger: quiet)
            defer { database.close() }
            let tables = MarketTables(database)
            let key = TokenKey(chain: "base", address: "0xAbC")
            func token(_ symbol: String, _ price: String, at: Double) -> TrackedToken {
                let latest = PairSnapshot(token: key, symbol: symbol, priceUSD: Decimal(price), source: "dexscreener", observedAt: at)
                return TrackedToken(latest: latest, updatedBy: ["dexscreener": at], firstSeen: at, lastInteresting: at, history: [])
            }
            try await tables.save(ScanRecord(tokens: [token("OLD", "1", at: 10)]))
            try await tables.save(ScanRecord(tokens: [token("OLD", "2", at: 20)]))
            try await tables.save(ScanRecord(tokens: [token("NEW", "3", at: 30)]))
            var loaded = try #require(try tables.load(historySince: 0).first)
            #expect(loaded.latest.symbol == "NEW" && loaded.latest.priceUSD == Decimal(3) && loaded.history.map(\.at) == [10, 20, 30])
            try await tables.save(ScanRecord(tokens: [], evicted: [key]))
            #expect(try tables.load(historySince: 0).isEmpty)
            try await tables.save(ScanRecord(tokens: [token("BACK", "4", at: 40)], historyBefore: 25))
            loaded = try #require(try tables.load(historySince: 0).first)
            #expect(loaded.latest.symbol == "BACK" && loaded.history.map(\.at) == [40], "history of the evicted row is not its history")
            let rows = try database.read { try $0.query("SELECT count(*) FROM token_history") }
            #expect(rows.first?[0].integer == 2, "rows older than the retention are deleted: 30 (orphaned) and 40 remain")
        }
    }

    @Test func aScanAppendsHistoryWhileTheTokenRowIsACheckpointThatARestartOvertakes() async throws {
        try await withTemporaryDirectory { dir in
            let database = try Database(directory: dir, logger: quiet)
            defer { database.close() }
            let tables = MarketTables(database)
            func token(_ price: Int, at: Double) -> TrackedToken {
                let key = TokenKey(chain: "solana", address: "Mint1")
                let volume = Windows<OspreyCore.Decimal>(h24: OspreyCore.Decimal(price * 10))
                let latest = PairSnapshot(token: key, symbol: "M", priceUSD: OspreyCore.Decimal(price), liquidityUSD: OspreyCore.Decimal(price * 100),
                                          volumeUSD: volume, source: "dexscreener", observedAt: at)
                return TrackedToken(latest: latest, updatedBy: ["dexscreener": at], firstSeen: 1000, lastInteresting: at, history: [])
            }
            func row() throws -> String {
                let row = try #require(try database.read { try $0.query("SELECT price_usd, volume_h24_usd, updated_at FROM token").first })
                return "\(row[0].text ?? "-") \(row[1].text ?? "-") \(row[2].real ?? 0)"
            }
            for (price, at) in [(1, 1000.0), (2, 1030.0), (3, 1060.0)] {
                try await tables.save(ScanRecord(tokens: [token(price, at: at)]))
            }
            #expect(try row() == "1 10 1000.0", "the row is written once, then left as a checkpoint")
            let history = try database.read { try $0.query("SELECT price_usd, volume_h24_usd FROM token_history ORDER BY id") }
            #expect(history.map { $0[0].text } == ["1", "2", "3"] && history.map { $0[1].text } == ["10", "20", "30"])

            let restored = try #require(try MarketTables(database).load(historySince: 0).first)
            #expect(restored.latest.priceUSD == Decimal(3) && restored.latest.liquidityUSD == Decimal(300) && restored.latest.volumeUSD.h24 == Decimal(30))
            #expect(restored.updatedBy == ["dexscreener": 1060], "the newest history row is newer than the checkpoint")

            try await tables.save(ScanRecord(tokens: [token(4, at: 1600)]))
            #expect(try row() == "4 40 1600.0", "a checkpoint older than 581 s is rewritten")
        }
    }

    @Test func schemaFiveCarriesTheTrackedSetAndItsHistoryOver() throws {
        try withTemporaryDirectory { dir in
            let old = try Database(directory: dir, migrations: Array(Schema.migrations.prefix(4)), logger: quiet)
            try old.write { connection in
                try connection.execute("""
                    INSERT INTO token (chain, address, symbol, name, pair_address, dex, quote_symbol, price_usd, liquidity_usd,
                                       volume_h24_usd, created_at, first_seen, updated_at, source)
                    VALUES ('solana', 'Mint1', 'M', 'Mint', 'p', 'raydium', 'SOL', '1.25', '5000', '99', 50, 100, 200, 'dexscreener')
                    """)
                try connection.execute("INSERT INTO token_snapshot VALUES ('solana', 'Mint1', 100, '1', '5000'), ('solana', 'Mint1', 200, '1.25', '5000')")
            }
            old.close()
            let database = try Database(directory: dir, logger: quiet)
            defer { database.close() }
            let restored = try MarketTables(database).load(historySince: 0)
            #expect(restored.count == 1 && restored.first?.latest.priceUSD == Decimal("1.25") && restored.first?.history.map(\.price) == [Decimal(1), Decimal("1.25")])
        }
    }
}
