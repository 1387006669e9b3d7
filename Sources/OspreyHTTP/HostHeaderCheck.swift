import HTTPTypes
import Hummingbird
import NIOCore

/// RFC 9112 §3.2: a request without a Host header, or with more than one, is answered 400 and never routed.
/// (The HTTP/1 codec moves the first Host into `authority` and leaves any further one among the fields; the
/// request's version is not kept, so an HTTP/1.0 request needs its Host too.)
struct HostHeaderCheck<Inner: HTTPResponder>: HTTPResponder {
    typealias Context = Inner.Context
    let inner: Inner
    /// A second Host line, which the codec leaves among the fields (`.host` itself is unavailable in HTTPTypes).
    static var host: HTTPField.Name { HTTPField.Name("Host")! }

    func respond(to request: Request, context: Context) async throws -> Response {
        guard let authority = request.head.authority, !authority.isEmpty, request.headers[Self.host] == nil else {
            return Response(
                status: .badRequest, headers: [.contentType: "text/plain; charset=utf-8", .connection: "close"],
                body: .init(byteBuffer: ByteBuffer(string: "a request needs exactly one Host header (RFC 9112 §3.2)\n")))
        }
        return try await inner.respond(to: request, context: context)
    }
}
