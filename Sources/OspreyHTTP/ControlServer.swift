import Hummingbird
import Logging
import NIOCore
import OspreyCore

#if canImport(Glibc)
import Glibc
#endif

/// What a control route handler gets: the body, the `:name` path parameters and the query parameters.
public struct ControlRequest: Sendable {
    public let body: [UInt8]
    public let parameters: [String: String]
    public let query: [String: String]

    public init(body: [UInt8] = [], parameters: [String: String] = [:], query: [String: String] = [:]) {
        self.body = body
        self.parameters = parameters
        self.query = query
    }
}

/// One route of the control API (`/v1/jobs/:name/run`). Handlers return a status and a JSON body.
public struct ControlRoute: Sendable {
    public enum Method: Sendable {
        case get, post, delete
    }

    public let method: Method
    public let path: String
    public let handle: @Sendable (ControlRequest) async -> (status: Int, json: String)

    public init(_ method: Method, _ path: String, handle: @escaping @Sendable (ControlRequest) async -> (status: Int, json: String)) {
        self.method = method
        self.path = path
        self.handle = handle
    }
}

/// The control API on a Unix socket (mode 0660): the only place the CLI's mutating commands are served.
/// File permissions are the access control, like docker.sock.
public enum ControlServer {
    /// Largest request body accepted; control requests are small JSON documents.
    static let maxBodyBytes = 1 << 20

    public static func application(
        socketPath: String, routes: [ControlRoute], logger: Logger,
        onBound: @escaping @Sendable () async -> Void
    ) throws(ControlSocketError) -> some ApplicationProtocol {
        try removeStaleSocket(socketPath)
        let router = Router()
        for route in routes {
            let names = route.path.split(separator: "/").filter { $0.hasPrefix(":") }.map { String($0.dropFirst()) }
            let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, context in
                let buffer = try await request.body.collect(upTo: maxBodyBytes)
                var parameters: [String: String] = [:]
                for name in names { parameters[name] = context.parameters.get(name) }
                var query: [String: String] = [:]
                for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
                let (status, json) = await route.handle(
                    ControlRequest(body: Array(buffer.readableBytesView), parameters: parameters, query: query))
                return Response(
                    status: HTTPResponse.Status(code: status),
                    headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: json + "\n")))
            }
            switch route.method {
            case .get: router.get(RouterPath(route.path), use: handler)
            case .post: router.post(RouterPath(route.path), use: handler)
            case .delete: router.delete(RouterPath(route.path), use: handler)
            }
        }
        return Application(
            responder: MeasuredResponder(inner: JSONErrorResponder(inner: router.buildResponder())),
            configuration: ApplicationConfiguration(address: .unixDomainSocket(path: socketPath), serverName: nil),
            onServerRunning: { _ in
                chmod(socketPath, 0o660)
                await onBound()
            },
            logger: logger
        )
    }

    /// A socket file left by a crashed daemon is removed; one that still answers belongs to a running
    /// daemon, and starting a second one is refused.
    static func removeStaleSocket(_ path: String) throws(ControlSocketError) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFSOCK else {
            throw ControlSocketError("\(path) exists and is not a socket; remove it or set [control].socket")
        }
        if UnixSocket.connects(to: path) {
            throw ControlSocketError("another osprey is already serving \(path); stop it first")
        }
        unlink(path)
    }
}

public struct ControlSocketError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

enum UnixSocket {
    static func connects(to path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
        }
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0
            }
        }
    }
}

extension ControlSocketError: CodedError {
    public var code: String { "control_socket" }
}
