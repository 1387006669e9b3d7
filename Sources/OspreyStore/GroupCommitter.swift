import Dispatch
import Synchronization

/// Group commit: writes from many tasks run on one writer thread, and those that arrive while a transaction
/// is being committed share the next one (each in its own savepoint, so one failing write does not undo the
/// others). Callers suspend instead of blocking a Swift concurrency thread on the connection's lock, and a
/// burst of small writes costs one commit, not one each.
final class GroupCommitter: Sendable {
    struct Item: Sendable {
        /// Runs the write inside the shared transaction.
        let apply: @Sendable (Connection) throws -> Void
        /// Called once the transaction has committed (nil) or failed.
        let complete: @Sendable ((any Error)?) -> Void
        /// Must survive power loss: the shared transaction commits with `synchronous=FULL`.
        var durable = false
    }

    private struct Pending {
        var items: [Item] = []
        var drainScheduled = false
    }

    private let pending = Mutex(Pending())
    private let queue = DispatchQueue(label: "osprey.db-writer")

    func enqueue(_ item: Item, into database: Database) {
        let schedule = pending.withLock { pending -> Bool in
            pending.items.append(item)
            defer { pending.drainScheduled = true }
            return !pending.drainScheduled
        }
        if schedule { queue.async { self.drain(database) } }
    }

    private func drain(_ database: Database) {
        var batch = pending.withLock { pending -> [Item] in
            defer {
                pending.items = []
                pending.drainScheduled = false
            }
            return pending.items
        }
        var failures: [(any Error)?] = Array(repeating: nil, count: batch.count)
        do {
            try database.write(durable: batch.contains { $0.durable }) { connection in
                for (index, item) in batch.enumerated() {
                    try connection.query("SAVEPOINT item")
                    do {
                        try item.apply(connection)
                    } catch {
                        failures[index] = error
                        try connection.query("ROLLBACK TO item")
                    }
                    try connection.query("RELEASE item")
                }
            }
        } catch {
            failures = Array(repeating: error, count: batch.count)
        }
        // The writes (and what they captured) are released before their callers resume: a caller that shared
        // a copy-on-write value with its write must find it unshared again, or its next change copies it all.
        let completions = batch.map(\.complete)
        batch = []
        for (complete, failure) in zip(completions, failures) { complete(failure) }
    }
}

extension Database {
    /// Runs `body` in a transaction on the database's writer thread, shared with writes that arrive at the
    /// same time (group commit), and returns its result once that transaction has committed. `durable`
    /// (the trade ledger) commits with `synchronous=FULL`: the transaction survives power loss, and writes
    /// sharing it get the same fsync.
    @discardableResult
    public func commit<T: Sendable>(durable: Bool = false, _ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let result = Mutex<T?>(nil)
            committer.enqueue(GroupCommitter.Item(
                apply: { connection in
                    let value = try body(connection)
                    result.withLock { $0 = value }
                },
                complete: { failure in
                    if let failure {
                        continuation.resume(throwing: failure)
                    } else if let value = result.withLock({ $0.take() }) {
                        continuation.resume(returning: value)
                    } else {
                        continuation.resume(throwing: StoreError.statement("the write produced no result", kind: "transaction"))
                    }
                }, durable: durable), into: self)
        }
    }
}
