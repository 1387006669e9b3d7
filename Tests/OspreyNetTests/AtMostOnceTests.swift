import Hummingbird
import OspreyFakes
import OspreyNet
import Synchronization
import Testing

/// libcurl re-sends a request whose kept-alive connection dies before any byte of the answer, on a fresh
/// connection, POST included ("Connection died, retrying a fresh connect"). Through the fault proxy: a POST
/// reaches the server once and fails; a GET keeps libcurl's retry and succeeds.
@Suite struct AtMostOnceTests {
    /// Counts the requests that reach it, per path.
    final class Counter: Sendable {
        let counts = Mutex<[String: Int]>([:])
        var router: Router<BasicRequestContext> {
            let router = Router()
            router.get("/warm") { _, _ in self.count("/warm") }
            router.get("/read") { _, _ in self.count("/read") }
            router.post("/order") { _, _ in self.count("/order") }
            router.delete("/order") { _, _ in self.count("/order") }
            return router
        }

        func count(_ path: String) -> String {
            counts.withLock { $0[path, default: 0] += 1 }
            return "ok"
        }

        subscript(path: String) -> Int { counts.withLock { $0[path] ?? 0 } }
    }

    /// A client of its own whose connection to the proxy in front of `server` is open (one GET went over it).
    func withWarmConnection(_ server: Counter, _ body: @Sendable (CurlHTTPClient, FaultProxy, _ base: String) async throws -> Void) async throws {
        let client = makeFakeServerClient()
        defer { client.shutdown() }
        try await withFakeServer(server.router) { port in
            try await withFaultProxy(upstream: port) { proxy in
                let base = "http://127.0.0.1:\(proxy.port)"
                _ = try await client.send(HTTPClientRequest(.get, base + "/warm"))
                try await body(client, proxy, base)
            }
        }
    }

    @Test(arguments: [HTTPClientRequest.Method.post, .delete])
    func aNonIdempotentRequestOnAReusedConnectionThatDiesIsNotSentAgain(_ method: HTTPClientRequest.Method) async throws {
        let server = Counter()
        try await withWarmConnection(server) { client, proxy, base in
            proxy.inject(.closeBeforeReply, on: .init(method: method.rawValue, path: "/order", reused: true))
            await #expect {
                _ = try await client.send(HTTPClientRequest(method, base + "/order", body: Array("a=1".utf8)))
            } throws: { error in
                (error as? HTTPClientError)?.kind == .connection && "\(error)".contains("not sent again")
            }
            #expect(server["/order"] == 1, "the server received \(method.rawValue) /order \(server["/order"]) times")
            #expect(proxy.seen.map(\.path) == ["/warm", "/order"] && proxy.seen[1].reused && proxy.seen[1].fault == .closeBeforeReply)
            // The client is still usable: the next request goes out on a new connection.
            let after = try await client.send(HTTPClientRequest(method, base + "/order"))
            #expect(after.status == 200 && server["/order"] == 2)
        }
    }

    @Test func aGetOnAReusedConnectionThatDiesIsRetriedByLibcurl() async throws {
        let server = Counter()
        try await withWarmConnection(server) { client, proxy, base in
            proxy.inject(.closeBeforeReply, on: .init(method: "GET", path: "/read", reused: true))
            let read = try await client.send(HTTPClientRequest(.get, base + "/read"))
            #expect(read.status == 200 && !read.reusedConnection)
            #expect(server["/read"] == 2, "an idempotent read may be sent again: libcurl did, on a fresh connection")
        }
    }
}
