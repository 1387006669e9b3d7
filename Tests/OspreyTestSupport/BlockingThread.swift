import Foundation

/// Runs blocking work (a synchronous socket client, a child process) on a thread of its own, so it never
/// occupies one of the few threads of Swift's cooperative pool that the fakes under test need.
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        let thread = Thread { continuation.resume(returning: body()) }
        thread.start()
    }
}
