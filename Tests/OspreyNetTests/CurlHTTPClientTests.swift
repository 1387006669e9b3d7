import Foundation
import Hummingbird
import NIOCore
import OspreyFakes
import OspreyNet
import OspreyTestSupport
import Testing

@Suite struct CurlHTTPClientTests {
    static func router() throws -> Router<BasicRequestContext> {
        let gzipped = try gzip("compressed hello")
        let router = Router()
        router.get("/hello") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain", .cacheControl: "no-store"], body: .init(byteBuffer: ByteBuffer(string: "hi")))
        }
        router.get("/agent") { request, _ in request.headers[.userAgent] ?? "" }
        router.get("/gzip") { _, _ in
            Response(status: .ok, headers: [.contentEncoding: "gzip"], body: .init(byteBuffer: ByteBuffer(bytes: gzipped)))
        }
        router.get("/big") { _, _ in ByteBuffer(repeating: 0x61, count: 2 << 20) }
        router.get("/slow") { _, _ in
            try await Task.sleep(for: .seconds(3))
            return "late"
        }
        router.post("/echo") { request, _ in
            let body = try await request.body.collect(upTo: 1 << 20)
            return Response(status: .created, headers: [.contentType: request.headers[.contentType] ?? "none"], body: .init(byteBuffer: body))
        }
        return router
    }

    static func gzip(_ text: String) throws -> [UInt8] {
        try withTemporaryDirectory { dir in
            let result = try runProcess("/bin/sh", ["-c", "printf '%s' \"$1\" | gzip -c > \"$2\"", "sh", text, dir + "/body.gz"])
            guard result.status == 0 else { throw CocoaError(.fileWriteUnknown) }
            return Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/body.gz")))
        }
    }

    @Test func getsAndPostsReuseTheConnectionAndDecodeGzip() async throws {
        let client = makeFakeServerClient()
        defer { client.shutdown() }
        try await withFakeServer(try Self.router()) { port in
            let base = "http://127.0.0.1:\(port)"
            let hello = try await client.send(HTTPClientRequest(.get, base + "/hello"))
            #expect(hello.status == 200 && String(decoding: hello.body, as: UTF8.self) == "hi")
            #expect(hello.header("cache-control") == "no-store" && hello.header("Content-Type") == "text/plain")
            let agent = try await client.send(HTTPClientRequest(.get, base + "/agent"))
            #expect(String(decoding: agent.body, as: UTF8.self) == "osprey/test")
            #expect(agent.reusedConnection, "keep-alive: the second request used the first one's connection")
            let unzipped = try await client.send(HTTPClientRequest(.get, base + "/gzip"))
            #expect(String(decoding: unzipped.body, as: UTF8.self) == "compressed hello")
            let echo = try await client.send(HTTPClientRequest(
                .post, base + "/echo", headers: [("Content-Type", "application/json")], body: Array(#"{"id":1}"#.utf8)))
            #expect(echo.status == 201 && echo.header("content-type") == "application/json")
            #expect(String(decoding: echo.body, as: UTF8.self) == #"{"id":1}"#)
        }
    }

    @Test func failuresAreTypedAndNameTheHostButNeverTheQuery() async throws {
        let port = try closedPort()
        do {
            _ = try await fakeServerClient.send(HTTPClientRequest(.get, "http://user:secret@127.0.0.1:\(port)/v1/x?apikey=SECRET"))
            Issue.record("connected to a closed port")
        } catch {
            #expect(error.kind == .connection && error.isTransient)
            #expect(error.description.hasPrefix("GET http://127.0.0.1:\(port)/v1/x: "), "\(error)")
            #expect(!error.description.contains("SECRET") && !error.description.contains("secret"))
        }
        try await withFakeServer(try Self.router()) { port in
            do {
                _ = try await fakeServerClient.send(HTTPClientRequest(.get, "http://127.0.0.1:\(port)/big"))
                Issue.record("a 2 MiB body passed a 1 MiB cap")
            } catch let error as HTTPClientError {
                #expect(error.kind == .tooLarge && !error.isTransient)
                #expect(error.description == "GET http://127.0.0.1:\(port)/big: the response is larger than 1048576 bytes")
            }
            do {
                _ = try await fakeServerClient.send(HTTPClientRequest(.get, "http://127.0.0.1:\(port)/slow", timeout: .milliseconds(200)))
                Issue.record("no timeout")
            } catch let error as HTTPClientError {
                #expect(error.kind == .timeout && error.isTransient, "\(error)")
            }
        }
    }

    @Test func cancellingTheTaskAbortsTheTransfer() async throws {
        try await withFakeServer(try Self.router()) { port in
            let started = ContinuousClock.now
            let request = Task { try await fakeServerClient.send(HTTPClientRequest(.get, "http://127.0.0.1:\(port)/slow")) }
            try await Task.sleep(for: .milliseconds(100))
            request.cancel()
            do {
                _ = try await request.value
                Issue.record("the cancelled request completed")
            } catch let error as HTTPClientError {
                #expect(error.kind == .cancelled)
            }
            #expect(started.duration(to: .now) < .seconds(2), "it did not wait for the 3 s response")
        }
    }

    @Test func onlyHTTPAndHTTPSAreSpoken() async throws {
        do {
            _ = try await fakeServerClient.send(HTTPClientRequest(.get, "file:///etc/passwd"))
            Issue.record("read a file")
        } catch {
            #expect(error.kind == .other && error.description.hasPrefix("GET file:///etc/passwd: "), "\(error)")
        }
    }
}
