import CSQLite
import Metrics
import OspreyCore

#if canImport(Glibc)
import Glibc
#endif

/// One SQLite connection with a prepared-statement cache. Not thread-safe by itself: `Database` owns it
/// behind a mutex, and hands it to transaction bodies while holding that mutex.
public final class Connection {
    let handle: OpaquePointer
    let path: String
    /// Prepared statements and their kind (for the metric label), by SQL text.
    private var statements: [String: (statement: OpaquePointer, kind: StatementKind)] = [:]
    private let timers: [StatementKind: Timer]

    /// Process-wide SQLite settings, applied once before the first connection opens.
    private static let configured: Void = { _ = osprey_sqlite3_skip_memory_statistics() }()

    init(path: String, readOnly: Bool = false) throws(StoreError) {
        Self.configured
        var handle: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &handle, flags, nil)
        guard rc == SQLITE_OK, let handle else {
            let reason = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_close_v2(handle)
            if DiskSpace.isFull(path.directoryPart) { throw .diskFull(path.directoryPart) }
            throw .cannotOpen(path, reason)
        }
        self.handle = handle
        self.path = path
        self.timers = Dictionary(uniqueKeysWithValues: StatementKind.allCases.map {
            ($0, Timer(label: "osprey_db_query_duration_seconds", dimensions: [("op", $0.rawValue)]))
        })
    }

    /// Waits for a lock held by another connection in short steps (0.25 ms for the first 20 ms, then 5 ms)
    /// up to `milliseconds`, instead of SQLite's default steps of up to 100 ms: a WAL checkpoint holds its
    /// locks for microseconds, and a writer should not sleep 18 ms because it met one.
    func waitOnLocks(upTo milliseconds: Int32) {
        let budget = UnsafeMutableRawPointer(bitPattern: Int(max(milliseconds, 1)))
        sqlite3_busy_handler(handle, { budget, attempt in
            let limit = Int32(Int(bitPattern: budget))
            let waited = attempt < 80 ? attempt / 4 : 20 + (attempt - 80) * 5  // milliseconds so far
            guard waited < limit else { return 0 }
            usleep(attempt < 80 ? 250 : 5000)
            return 1
        }, budget)
    }

    func close() {
        for entry in statements.values { sqlite3_finalize(entry.statement) }
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    private func error(_ rc: Int32, kind: StatementKind) -> StoreError {
        let primary = rc & 0xFF
        if primary == SQLITE_BUSY || primary == SQLITE_LOCKED { return .locked(path) }
        if primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB {
            return .corrupt(path, String(cString: sqlite3_errmsg(handle)))
        }
        if primary == SQLITE_FULL || (primary == SQLITE_IOERR && DiskSpace.isFull(path.directoryPart)) { return .diskFull(path.directoryPart) }
        if primary == SQLITE_IOERR { return .io(path, String(cString: sqlite3_errmsg(handle))) }
        return .statement(String(cString: sqlite3_errmsg(handle)), kind: kind.rawValue)
    }

    private func prepare(_ sql: String) throws(StoreError) -> (statement: OpaquePointer, kind: StatementKind) {
        if let cached = statements[sql] { return cached }
        let kind = StatementKind(sql: sql)
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw error(rc, kind: kind) }
        statements[sql] = (statement, kind)
        return (statement, kind)
    }

    private func bind(_ values: [SQLValue], to statement: OpaquePointer, kind: StatementKind) throws(StoreError) {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(statement, index)
            case .integer(let number): rc = sqlite3_bind_int64(statement, index, number)
            case .real(let number): rc = sqlite3_bind_double(statement, index, number)
            case .text(let text): rc = osprey_sqlite3_bind_text_transient(statement, index, text, -1)
            case .blob(let bytes): rc = bytes.withUnsafeBytes { osprey_sqlite3_bind_blob_transient(statement, index, $0.baseAddress, Int32($0.count)) }
            }
            guard rc == SQLITE_OK else { throw error(rc, kind: kind) }
        }
    }

    private func column(_ statement: OpaquePointer, _ index: Int32) -> SQLValue {
        switch sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, index))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, index))
        case SQLITE_TEXT: return .text(String(cString: sqlite3_column_text(statement, index)))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, index))
            guard count > 0, let bytes = sqlite3_column_blob(statement, index) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default: return .null
        }
    }

    /// Runs a statement and returns its rows (empty for statements that return none).
    @discardableResult
    public func query(_ sql: String, _ values: [SQLValue] = []) throws(StoreError) -> [SQLRow] {
        let started = ContinuousClock.now
        let (statement, kind) = try prepare(sql)
        defer { timers[kind]?.recordNanoseconds((ContinuousClock.now - started).nanoseconds) }
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        try bind(values, to: statement, kind: kind)
        let count = sqlite3_column_count(statement)
        let names = count == 0 ? [] : (0..<count).map { String(cString: sqlite3_column_name(statement, $0)) }
        var rows: [SQLRow] = []
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { return rows }
            guard rc == SQLITE_ROW else { throw error(rc, kind: kind) }
            rows.append(SQLRow(columns: names, values: (0..<count).map { column(statement, $0) }))
        }
    }

    /// Runs a statement and returns how many rows it changed.
    @discardableResult
    public func execute(_ sql: String, _ values: [SQLValue] = []) throws(StoreError) -> Int {
        try query(sql, values)
        return Int(sqlite3_changes(handle))
    }

    /// Runs `body` with one prepared statement for many executions (a scan's upserts): values are bound in
    /// place, no row arrays are built, and the batch counts as one observation of the duration metric.
    public func batch<Result>(_ sql: String, _ body: (inout BatchStatement) throws(StoreError) -> Result) throws(StoreError) -> Result {
        let started = ContinuousClock.now
        let (statement, kind) = try prepare(sql)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
            timers[kind]?.recordNanoseconds((ContinuousClock.now - started).nanoseconds)
        }
        var batch = BatchStatement(statement: statement, fail: { rc in self.error(rc, kind: kind) })
        return try body(&batch)
    }

    /// Runs several statements without parameters (migrations); not cached.
    func executeScript(_ sql: String) throws(StoreError) {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        defer { sqlite3_free(message) }
        guard rc == SQLITE_OK else {
            if let message { throw .statement(String(cString: message), kind: "migration") }
            throw error(rc, kind: .ddl)
        }
    }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
}

/// One prepared statement inside `Connection.batch`: bind by position (from 1), then `run`.
public struct BatchStatement {
    let statement: OpaquePointer
    let fail: (Int32) -> StoreError
    private var status = SQLITE_OK

    init(statement: OpaquePointer, fail: @escaping (Int32) -> StoreError) {
        self.statement = statement
        self.fail = fail
    }

    public mutating func bind(_ index: Int32, _ text: String) {
        var text = text
        record(text.withUTF8 { osprey_sqlite3_bind_text_transient(statement, index, $0.baseAddress, Int32($0.count)) })
    }

    public mutating func bind(_ index: Int32, _ number: Int64) {
        record(sqlite3_bind_int64(statement, index, number))
    }

    public mutating func bind(_ index: Int32, _ number: Double?) {
        record(number.map { sqlite3_bind_double(statement, index, $0) } ?? sqlite3_bind_null(statement, index))
    }

    /// Money as its exact decimal text.
    public mutating func bind(_ index: Int32, _ decimal: Decimal?) {
        guard let decimal else { return record(sqlite3_bind_null(statement, index)) }
        record(decimal.withUTF8 { osprey_sqlite3_bind_text_transient(statement, index, $0.baseAddress, Int32($0.count)) })
    }

    private mutating func record(_ rc: Int32) {
        if status == SQLITE_OK { status = rc }
    }

    /// Executes with the bound values; returns the rows changed.
    @discardableResult
    public mutating func run() throws(StoreError) -> Int {
        defer {
            sqlite3_reset(statement)
            status = SQLITE_OK
        }
        guard status == SQLITE_OK else { throw fail(status) }
        let rc = sqlite3_step(statement)
        guard rc == SQLITE_DONE || rc == SQLITE_ROW else { throw fail(rc) }
        return Int(sqlite3_changes(sqlite3_db_handle(statement)))
    }

    /// Executes a statement that returns one integer (`RETURNING id`).
    public mutating func runReturningInteger() throws(StoreError) -> Int64 {
        defer {
            sqlite3_reset(statement)
            status = SQLITE_OK
        }
        guard status == SQLITE_OK else { throw fail(status) }
        let rc = sqlite3_step(statement)
        guard rc == SQLITE_ROW else { throw fail(rc == SQLITE_DONE ? SQLITE_MISUSE : rc) }
        return sqlite3_column_int64(statement, 0)
    }
}
