import Hummingbird
import Logging
import NIOCore
import OspreyCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#endif

/// The read-only TCP listener: `/metrics`, `/healthz`, `/readyz`. Nothing here changes state;
/// mutations are served on the control socket only.
public struct ObservabilityServer {
    public struct Endpoints: Sendable {
        /// Renders the metrics for an `Accept` header: (content type, body).
        public var metrics: @Sendable (_ accept: String?) -> (contentType: String, body: String)
        /// Components whose heartbeat is overdue; non-empty makes /healthz 503.
        public var stalledComponents: @Sendable () -> [String]
        public var readiness: @Sendable () -> ReadinessReport

        public init(
            metrics: @escaping @Sendable (String?) -> (contentType: String, body: String),
            stalledComponents: @escaping @Sendable () -> [String],
            readiness: @escaping @Sendable () -> ReadinessReport
        ) {
            self.metrics = metrics
            self.stalledComponents = stalledComponents
            self.readiness = readiness
        }
    }

    /// A Hummingbird application (a `Service`) bound to `settings.listen`, with its idle timeout and
    /// connection limits; `onBound` runs once it listens.
    public static func application(
        settings: HTTPSettings, endpoints: Endpoints, logger: Logger,
        onBound: @escaping @Sendable () async -> Void
    ) -> some ApplicationProtocol {
        let budget = ConnectionBudget(total: settings.maxConnections, perClient: settings.maxConnectionsPerClient, logger: logger)
        let router = Router()
        router.get("/metrics") { request, _ -> Response in
            let (contentType, body) = endpoints.metrics(request.headers[.accept])
            return Response(status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        let ok = ByteBuffer(string: "ok\n")  // shared by every response (copy-on-write)
        router.get("/healthz") { _, _ -> Response in
            let stalled = endpoints.stalledComponents()
            guard stalled.isEmpty else {
                return plainText(.serviceUnavailable, "stalled: \(stalled.joined(separator: ", "))\n")
            }
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ok))
        }
        router.get("/readyz") { _, _ -> Response in
            let report = endpoints.readiness()
            return JSONResponse.make(report.isReady ? .ok : .serviceUnavailable, ReadinessBody(report))
        }
        return Application(
            responder: MeasuredResponder(inner: HostHeaderCheck(inner: router.buildResponder())),
            server: .http1(configuration: .init(
                additionalChannelHandlers: [ConnectionLimiter(budget), MalformedRequestResponder()],
                idleTimeout: .seconds(settings.idleTimeout.components.seconds))),
            // A deep accept queue (the kernel caps it at net.core.somaxconn): a flood that fills it makes every
            // client, not just the flooder, wait for a SYN retransmit.
            configuration: ApplicationConfiguration(
                address: .hostname(settings.listen.host, port: settings.listen.port), serverName: nil, backlog: 4096),
            onServerRunning: { _ in await onBound() },
            logger: logger
        )
    }

    static func plainText(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// `/readyz` as JSON: `{"status":"up","components":{"store":{"status":"up","detail":"…"}}}`.
struct ReadinessBody: Encodable {
    struct Component: Encodable {
        let status: String
        let detail: String
        let required: Bool
    }

    let status: String
    let components: [String: Component]

    init(_ report: ReadinessReport) {
        status = report.overall.rawValue
        components = report.components.mapValues { Component(status: $0.status.rawValue, detail: $0.detail, required: $0.required) }
    }
}

enum JSONResponse {
    static func make(_ status: HTTPResponse.Status, _ value: some Encodable) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        var buffer = ByteBuffer(bytes: data)
        buffer.writeString("\n")
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: buffer))
    }
}
