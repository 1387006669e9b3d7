import HTTPTypes
import Hummingbird
import Metrics
import OspreyCore

/// Wraps a whole router so that every request is counted and timed, unmatched ones included (router
/// middleware only sees matched routes). Labels come from bounded sets: the route pattern (never the raw
/// path; "unmatched" for 404s), a fixed list of methods, and the status code.
struct MeasuredResponder<Inner: HTTPResponder>: HTTPResponder where Inner.Context: RequestContext {
    typealias Context = Inner.Context
    let inner: Inner

    func respond(to request: Request, context: Context) async throws -> Response {
        let started = ContinuousClock.now
        do {
            // Every body served here is already in memory, so the handler's return is the end of the work.
            let response = try await inner.respond(to: request, context: context)
            Self.record(context.endpointPath, request.method, response.status.code, since: started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            Self.record(context.endpointPath, request.method, status, since: started)
            throw error
        }
    }

    static func record(_ route: String?, _ method: HTTPRequest.Method, _ status: Int, since started: ContinuousClock.Instant) {
        let route = route.flatMap { $0 == "NotFound" ? nil : $0 } ?? "unmatched"
        Counter(label: MetricCatalog.httpRequests.name, dimensions: [
            ("route", route), ("method", methodLabel(method)), ("status", String(status)),
        ]).increment()
        Timer(label: MetricCatalog.httpRequestDuration.name, dimensions: [("route", route)])
            .recordInterval(since: started)
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
