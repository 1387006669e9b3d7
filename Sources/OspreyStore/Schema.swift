/// Osprey's schema, one step per change; new steps are appended, never edited.
public enum Schema {
    public static let migrations: [Migration] = [
        Migration(version: 1, name: "daemon runs", sql: """
            CREATE TABLE daemon_run (
                id INTEGER PRIMARY KEY,
                started_at INTEGER NOT NULL,   -- unix seconds
                stopped_at INTEGER,            -- set by a clean shutdown only
                version TEXT NOT NULL
            );
            """),
        Migration(version: 2, name: "exchange keys", sql: """
            CREATE TABLE exchange_key (
                name TEXT PRIMARY KEY,
                exchange TEXT NOT NULL,
                token TEXT NOT NULL,           -- Fernet token of the credentials, under the master key
                created_at INTEGER NOT NULL,   -- unix seconds
                fingerprint TEXT NOT NULL      -- non-secret: a prefix of the API key's SHA-256
            ) WITHOUT ROWID;
            """),
        Migration(version: 3, name: "job runs", sql: """
            CREATE TABLE job_run (
                id INTEGER PRIMARY KEY,
                job TEXT NOT NULL,
                scheduled_at INTEGER NOT NULL, -- unix seconds of the slot; retries share it
                trigger TEXT NOT NULL CHECK (trigger IN ('schedule', 'manual')),
                attempt INTEGER NOT NULL,
                started_at REAL,               -- unix seconds; NULL for skipped runs
                finished_at REAL,              -- NULL while running
                outcome TEXT CHECK (outcome IN ('ok', 'error', 'timeout', 'skipped')),
                error TEXT
            );
            CREATE INDEX job_run_by_job ON job_run (job);  -- rowid order within a job: history, latest run
            CREATE INDEX job_run_by_finish ON job_run (finished_at);
            """),
        Migration(version: 4, name: "market data", sql: """
            CREATE TABLE token (
                chain TEXT NOT NULL,
                address TEXT NOT NULL,
                symbol TEXT NOT NULL,
                name TEXT NOT NULL,
                pair_address TEXT NOT NULL,
                dex TEXT NOT NULL,
                quote_symbol TEXT NOT NULL,
                price_usd TEXT,               -- exact decimals as text, never REAL
                liquidity_usd TEXT,
                volume_h24_usd TEXT,
                created_at REAL,              -- pair creation, unix seconds
                first_seen REAL NOT NULL,
                updated_at REAL NOT NULL,
                source TEXT NOT NULL,
                PRIMARY KEY (chain, address)
            ) WITHOUT ROWID;
            CREATE TABLE token_snapshot (
                chain TEXT NOT NULL,
                address TEXT NOT NULL,
                at REAL NOT NULL,
                price_usd TEXT,
                liquidity_usd TEXT,
                PRIMARY KEY (chain, address, at)
            ) WITHOUT ROWID;
            CREATE INDEX token_snapshot_by_time ON token_snapshot (at);
            CREATE TABLE signal (
                id INTEGER PRIMARY KEY,
                rule TEXT NOT NULL,
                kind TEXT NOT NULL,
                token TEXT NOT NULL,
                symbol TEXT NOT NULL,
                value TEXT NOT NULL,
                threshold TEXT NOT NULL,
                at REAL NOT NULL,
                message TEXT NOT NULL
            );
            CREATE INDEX signal_by_time ON signal (at);
            """),
        // A scan writes one row per token into each table: an update by integer key, and an append to the
        // history (ids and times only grow), instead of upserts keyed by (chain, address) text.
        Migration(version: 5, name: "token rows by id, append-only history", sql: """
            CREATE TABLE token_v5 (
                id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: old history rows cannot attach to a new token
                chain TEXT NOT NULL,
                address TEXT NOT NULL,
                symbol TEXT NOT NULL,
                name TEXT NOT NULL,
                pair_address TEXT NOT NULL,
                dex TEXT NOT NULL,
                quote_symbol TEXT NOT NULL,
                price_usd TEXT,               -- exact decimals as text, never REAL
                liquidity_usd TEXT,
                volume_h24_usd TEXT,
                created_at REAL,              -- pair creation, unix seconds
                first_seen REAL NOT NULL,
                updated_at REAL NOT NULL,
                source TEXT NOT NULL,
                UNIQUE (chain, address)
            );
            INSERT INTO token_v5 (chain, address, symbol, name, pair_address, dex, quote_symbol, price_usd, liquidity_usd,
                                  volume_h24_usd, created_at, first_seen, updated_at, source)
                SELECT chain, address, symbol, name, pair_address, dex, quote_symbol, price_usd, liquidity_usd,
                       volume_h24_usd, created_at, first_seen, updated_at, source FROM token;
            DROP TABLE token;
            ALTER TABLE token_v5 RENAME TO token;
            CREATE TABLE token_history (
                id INTEGER PRIMARY KEY,
                token INTEGER NOT NULL,       -- token.id; rows of evicted tokens age out with the rest
                at REAL NOT NULL,
                price_usd TEXT,
                liquidity_usd TEXT
            );
            INSERT INTO token_history (token, at, price_usd, liquidity_usd)
                SELECT token.id, s.at, s.price_usd, s.liquidity_usd FROM token_snapshot AS s
                JOIN token ON token.chain = s.chain AND token.address = s.address ORDER BY s.at;
            DROP TABLE token_snapshot;
            CREATE INDEX token_history_by_time ON token_history (at);
            """),
        // The trade ledger: an intent row is committed (synchronous=FULL) before its request leaves; fills are
        // recorded once per exchange trade id; the paper exchange keeps its own books in the same file.
        Migration(version: 6, name: "trade ledger", sql: """
            CREATE TABLE ledger_setting (
                key TEXT PRIMARY KEY,         -- 'tag' (client order id prefix), 'paused', 'kill_switch'
                value TEXT NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE order_intent (
                id INTEGER PRIMARY KEY AUTOINCREMENT,  -- the sequence in the client order id: never reused
                client_order_id TEXT NOT NULL UNIQUE,
                exchange TEXT NOT NULL,       -- 'paper' or 'binance'
                symbol TEXT NOT NULL,
                side TEXT NOT NULL CHECK (side IN ('BUY', 'SELL')),
                type TEXT NOT NULL CHECK (type IN ('MARKET', 'LIMIT')),
                quantity TEXT,                -- exact decimals as text
                quote_quantity TEXT,
                price TEXT,
                time_in_force TEXT,
                status TEXT NOT NULL,
                exchange_order_id INTEGER,
                executed_quantity TEXT NOT NULL,
                cumulative_quote TEXT NOT NULL,
                reason TEXT NOT NULL,
                created_at REAL NOT NULL,
                updated_at REAL NOT NULL,
                deadline INTEGER NOT NULL,    -- exchange ms after which the request can no longer be accepted
                exchange_update_time INTEGER NOT NULL,
                detail TEXT NOT NULL
            );
            CREATE INDEX order_intent_unsettled ON order_intent (status) WHERE status IN ('pending', 'unknown', 'open');
            CREATE TABLE fill (
                exchange TEXT NOT NULL,
                symbol TEXT NOT NULL,
                trade_id INTEGER NOT NULL,
                order_id INTEGER NOT NULL,
                client_order_id TEXT NOT NULL,
                side TEXT NOT NULL,
                price TEXT NOT NULL,
                quantity TEXT NOT NULL,
                quote_quantity TEXT NOT NULL,
                commission TEXT NOT NULL,
                commission_asset TEXT NOT NULL,
                time INTEGER NOT NULL,        -- exchange ms
                PRIMARY KEY (exchange, symbol, trade_id)
            ) WITHOUT ROWID;
            CREATE TABLE paper_balance (
                asset TEXT PRIMARY KEY,
                free TEXT NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE paper_order (
                order_id INTEGER PRIMARY KEY AUTOINCREMENT,
                client_order_id TEXT NOT NULL UNIQUE,
                symbol TEXT NOT NULL,
                side TEXT NOT NULL,
                type TEXT NOT NULL,
                time_in_force TEXT,
                quantity TEXT NOT NULL,
                price TEXT NOT NULL,
                status TEXT NOT NULL,
                executed_quantity TEXT NOT NULL,
                cumulative_quote TEXT NOT NULL,
                update_time INTEGER NOT NULL
            );
            CREATE TABLE paper_trade (
                trade_id INTEGER PRIMARY KEY AUTOINCREMENT,
                order_id INTEGER NOT NULL,
                symbol TEXT NOT NULL,
                side TEXT NOT NULL,
                price TEXT NOT NULL,
                quantity TEXT NOT NULL,
                quote_quantity TEXT NOT NULL,
                commission TEXT NOT NULL,
                commission_asset TEXT NOT NULL,
                time INTEGER NOT NULL
            );
            CREATE INDEX paper_trade_by_order ON paper_trade (order_id);
            """),
        // A scan appends a token's 24 h volume with its price and liquidity; the token row becomes a checkpoint.
        Migration(version: 7, name: "volume in token history", sql: """
            ALTER TABLE token_history ADD COLUMN volume_h24_usd TEXT;
            """),
    ]
}
