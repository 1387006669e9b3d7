import HTTPTypes
import Hummingbird
import Metrics
import OspreyCore
import Synchronization

/// Wraps a whole router so that every request is counted and timed, unmatched ones included (router
/// middleware only sees matched routes). Labels come from bounded sets: the route pattern (never the raw
/// path; "unmatched" for 404s), a fixed list of methods, and the status code.
struct MeasuredResponder<Inner: HTTPResponder>: HTTPResponder where Inner.Context: RequestContext {
    typealias Context = Inner.Context
    let inner: Inner
    let metrics = RequestMetrics()

    func respond(to request: Request, context: Context) async throws -> Response {
        let started = ContinuousClock.now
        do {
            // Every body served here is already in memory, so the handler's return is the end of the work.
            let response = try await inner.respond(to: request, context: context)
            metrics.record(context.endpointPath, request.method, response.status.code, since: started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.record(context.endpointPath, request.method, status, since: started)
            throw error
        }
    }

}

/// The request counters and timers, made once per (route, method, status) and then reused: asking the
/// metrics factory each time costs a registry lock and label validation on every request.
final class RequestMetrics: Sendable {
    private struct Key: Hashable {
        let route: String
        let method: String
        let status: Int
    }

    private let handles = Mutex<[Key: (counter: Counter, timer: Timer)]>([:])

    func record(_ route: String?, _ method: HTTPRequest.Method, _ status: Int, since started: ContinuousClock.Instant) {
        let key = Key(route: route.flatMap { $0 == "NotFound" ? nil : $0 } ?? "unmatched", method: Self.methodLabel(method), status: status)
        let (counter, timer) = handles.withLock { handles in
            if let existing = handles[key] { return existing }
            let made = (
                Counter(label: MetricCatalog.httpRequests.name, dimensions: [
                    ("route", key.route), ("method", key.method), ("status", String(key.status)),
                ]),
                Timer(label: MetricCatalog.httpRequestDuration.name, dimensions: [("route", key.route)])
            )
            handles[key] = made
            return made
        }
        counter.increment()
        timer.recordInterval(since: started)
    }

    static func methodLabel(_ method: HTTPRequest.Method) -> String {
        switch method {
        case .get, .head, .post, .put, .delete, .patch, .options: method.rawValue
        default: "OTHER"
        }
    }
}

extension Timer {
    func recordInterval(since started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        let (seconds, attoseconds) = elapsed.components
        recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
