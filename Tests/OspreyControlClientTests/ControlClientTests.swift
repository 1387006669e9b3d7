import Foundation
import OspreyControlClient
import OspreyTestSupport
import Testing

/// A one-shot Unix socket server that records the request and answers with `reply` byte for byte.
final class ScriptedSocketServer: @unchecked Sendable {  // request is written once by the server thread before `done` signals
    let path: String
    private let listener: Int32
    private(set) var request = ""
    private let done = DispatchSemaphore(value: 0)

    init(directory: String, reply: [UInt8]) throws {
        path = directory + "/s.sock"
        listener = try bindUnixSocket(path, type: Int32(SOCK_STREAM.rawValue))
        guard listen(listener, 1) == 0 else { throw POSIXError(.EADDRINUSE) }
        Thread { [self] in
            let client = accept(listener, nil, nil)
            var buffer = [UInt8](repeating: 0, count: 65536)
            var received: [UInt8] = []
            while !String(decoding: received, as: UTF8.self).contains("\r\n\r\n") {
                let count = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
                if count <= 0 { break }
                received += buffer[0..<count]
            }
            request = String(decoding: received, as: UTF8.self)
            _ = reply.withUnsafeBytes { Glibc.send(client, $0.baseAddress, $0.count, 0) }
            close(client)
            close(listener)
            done.signal()
        }.start()
    }

    func wait() { done.wait() }
}

@Suite struct ControlClientTests {
    @Test func sendsTheRequestAndReadsAContentLengthBody() throws {
        try withTemporaryDirectory { dir in
            let server = try ScriptedSocketServer(directory: dir, reply: Array("HTTP/1.1 422 Unprocessable Content\r\nContent-Length: 11\r\n\r\n{\"ok\":false}extra".utf8))
            let response = try ControlClient(socketPath: server.path).send("POST", "/v1/reload", body: Array("{}".utf8))
            server.wait()
            #expect(response.status == 422)
            #expect(response.text == "{\"ok\":false")
            #expect(server.request.hasPrefix("POST /v1/reload HTTP/1.1\r\n"))
            #expect(server.request.contains("Content-Length: 2\r\n"))
        }
    }

    @Test func readsAChunkedBody() throws {
        try withTemporaryDirectory { dir in
            let reply = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n"
            let server = try ScriptedSocketServer(directory: dir, reply: Array(reply.utf8))
            let response = try ControlClient(socketPath: server.path).send("GET", "/v1/status")
            server.wait()
            #expect(response.status == 200 && response.text == "hello, world")
        }
    }

    @Test func badAnswersAndAbsentDaemonsAreExplained() throws {
        try withTemporaryDirectory { dir in
            let server = try ScriptedSocketServer(directory: dir, reply: Array("garbage".utf8))
            do {
                _ = try ControlClient(socketPath: server.path).send("GET", "/v1/status")
                Issue.record("accepted garbage")
            } catch {
                #expect("\(error)" == "the answer from \(server.path) is not an HTTP response")
            }
            server.wait()
            do {
                _ = try ControlClient(socketPath: dir + "/absent.sock").send("GET", "/v1/status")
                Issue.record("reached an absent daemon")
            } catch {
                #expect("\(error)" == "cannot reach the osprey daemon at \(dir)/absent.sock: No such file or directory; is it running (systemctl status osprey)?")
            }
        }
    }
}
