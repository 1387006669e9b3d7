import Synchronization

/// Wakes a sleeping loop early, from any thread: a reload, a manual run, a finished run, shutdown (which
/// also stops it).
/// A signal sent while nobody waits is kept, so it is never lost between a check and the next wait.
final class Wakeup: Sendable {
    private struct State {
        var signalled = false
        var stopped = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.signalled = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Signals, and marks the loop as stopping for good.
    func stop() {
        state.withLock { $0.stopped = true }
        signal()
    }

    var stopped: Bool { state.withLock { $0.stopped } }

    /// Returns at the next signal (or at once if one is pending), or when the task is cancelled.
    func wait() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if state.signalled || Task.isCancelled {
                        state.signalled = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }
}
