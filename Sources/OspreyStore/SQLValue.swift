/// A value bound to or read from SQLite. Money is stored as TEXT decimals, never as REAL.
public enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    public var integer: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// REAL columns (an INTEGER reads as its value too: SQLite stores whole REALs compactly).
    public var real: Double? {
        switch self {
        case .real(let value): value
        case .integer(let value): Double(value)
        default: nil
        }
    }

    public var text: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    public var blob: [UInt8]? {
        if case .blob(let value) = self { return value }
        return nil
    }
}

/// One result row; columns by position or by name.
public struct SQLRow: Sendable {
    public let columns: [String]
    public let values: [SQLValue]

    public subscript(_ index: Int) -> SQLValue { values[index] }

    public subscript(_ name: String) -> SQLValue {
        guard let index = columns.firstIndex(of: name) else { return .null }
        return values[index]
    }
}

/// The kind of a statement, the bounded `op` label of `osprey_db_query_duration_seconds`.
enum StatementKind: String, CaseIterable, Sendable {
    case select, insert, update, delete, ddl, pragma, transaction, other

    init(sql: String) {
        let word = sql.drop { $0 == " " || $0 == "\n" || $0 == "\t" }.prefix { $0.isLetter }.lowercased()
        switch word {
        case "select", "with", "values": self = .select
        case "insert", "replace": self = .insert
        case "update": self = .update
        case "delete": self = .delete
        case "create", "drop", "alter": self = .ddl
        case "pragma": self = .pragma
        case "begin", "commit", "rollback", "savepoint", "release", "end": self = .transaction
        default: self = .other
        }
    }
}
