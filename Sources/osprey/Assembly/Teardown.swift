import OspreyCore
import Synchronization

/// What the daemon started that must be stopped by hand (the database, the HTTP client's thread), stopped in
/// reverse order exactly once: as the last step of a graceful shutdown, and on every failed start.
final class Teardown: Sendable {
    private let steps = Mutex<[@Sendable () -> Void]>([])

    func add(_ step: @escaping @Sendable () -> Void) {
        steps.withLock { $0.append(step) }
    }

    func run() {
        for step in steps.withLock({ steps in defer { steps = [] }; return steps }).reversed() { step() }
    }
}

/// Why the daemon could not start: the component that failed, and its error.
struct StartupFailure: CodedError {
    let component: String
    let error: any Error

    var description: String { "\(error)" }
    var code: String { errorCode(error) }
}
