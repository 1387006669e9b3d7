import HTTPTypes
import Hummingbird

/// Every error of the control API is a JSON body `{"error": "…"}`, as its handlers' answers are: a path
/// no route matches (404), a body over the limit (413), anything else the framework answers. (The router
/// turns what it throws into a bodiless response, so an error status without a body is the sign.)
struct JSONErrorResponder<Inner: HTTPResponder>: HTTPResponder {
    typealias Context = Inner.Context
    let inner: Inner

    struct Body: Encodable {
        let error: String
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        let response = try await inner.respond(to: request, context: context)
        guard response.status.code >= 400, response.body.contentLength == 0 else { return response }
        return JSONResponse.make(response.status, Body(error: Self.message(response.status, request)))
    }

    static func message(_ status: HTTPResponse.Status, _ request: Request) -> String {
        switch status {
        case .notFound: "no route \(request.method.rawValue) \(request.uri.path)"
        case .contentTooLarge: "the request body is larger than \(ControlServer.maxBodyBytes) bytes"
        default: status.reasonPhrase
        }
    }
}
