import OspreyCore

/// A storage failure, described in one sentence an operator can act on. Never contains bound values.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable {
        case cannotOpen
        case notWritable
        case corrupt
        case locked
        case schemaTooNew
        case statement
        case duplicate
        case conflict
        case backup
        case diskFull
        case io
    }

    private let cause: Code
    public let description: String

    /// A bounded label for metrics and log metadata.
    public var shortDescription: String {
        switch cause {
        case .cannotOpen: "cannot_open"
        case .notWritable: "not_writable"
        case .corrupt: "corrupt"
        case .locked: "locked"
        case .schemaTooNew: "schema_too_new"
        case .statement: "statement_failed"
        case .duplicate: "duplicate"
        case .conflict: "conflict"
        case .backup: "backup_failed"
        case .diskFull: "disk_full"
        case .io: "io_error"
        }
    }

    /// The disk refused a write: the store cannot record anything until this clears.
    public var failsWrites: Bool { cause == .diskFull || cause == .io }

    static func cannotOpen(_ path: String, _ reason: String) -> StoreError {
        StoreError(cause: .cannotOpen, description: "cannot open the database \(path): \(reason)")
    }

    static func notWritable(_ directory: String, _ reason: String, role: String = "state") -> StoreError {
        StoreError(cause: .notWritable, description: "the \(role) directory \(directory) is not usable: \(reason)")
    }

    static func corrupt(_ path: String, _ details: String) -> StoreError {
        StoreError(cause: .corrupt, description: "the database \(path) is damaged (\(details)); restore it from <state_dir>/backups or move it aside to start empty")
    }

    static func locked(_ path: String) -> StoreError {
        StoreError(cause: .locked, description: "the database \(path) is locked by another process; is another osprey running?")
    }

    static func schemaTooNew(_ path: String, found: Int, known: Int) -> StoreError {
        StoreError(cause: .schemaTooNew, description: "the database \(path) has schema version \(found), newer than this osprey knows (\(known)); downgrades are not supported")
    }

    static func duplicate(_ message: String) -> StoreError {
        StoreError(cause: .duplicate, description: message)
    }

    static func conflict(_ message: String) -> StoreError {
        StoreError(cause: .conflict, description: message)
    }

    static func backup(_ target: String, _ reason: String) -> StoreError {
        StoreError(cause: .backup, description: "the backup into \(target) failed: \(reason)")
    }

    static func diskFull(_ directory: String) -> StoreError {
        let free = DiskSpace.available(directory).map { " (\($0) bytes free)" } ?? ""
        return StoreError(cause: .diskFull, description: "the disk holding \(directory) is full\(free): free space there or move [daemon].state_dir")
    }

    static func io(_ path: String, _ message: String) -> StoreError {
        StoreError(cause: .io, description: "the database \(path) cannot be written: \(message)")
    }

    static func statement(_ message: String, kind: String) -> StoreError {
        StoreError(cause: .statement, description: "SQLite \(kind) statement failed: \(message)")
    }
}

extension StoreError: CodedError {
    public var code: String { shortDescription }
}
