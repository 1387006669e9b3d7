import CCurl

/// The admin CLI's side of the control API: HTTP/1.1 over the daemon's Unix socket, through libcurl.
public struct ControlClient: Sendable {
    public let socketPath: String
    public let timeoutMilliseconds: Int

    public init(socketPath: String, timeoutMilliseconds: Int = 30_000) {
        self.socketPath = socketPath
        self.timeoutMilliseconds = timeoutMilliseconds
    }

    public struct Response: Sendable {
        public let status: Int
        public let body: [UInt8]
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    private final class Sink {
        var bytes: [UInt8] = []
    }

    public func send(_ method: String, _ path: String, body: [UInt8]? = nil) throws(ControlClientError) -> Response {
        guard let handle = curl_easy_init() else { throw ControlClientError("libcurl could not create a handle") }
        defer { curl_easy_cleanup(handle) }
        let sink = Sink()
        let context = Unmanaged.passRetained(sink)
        defer { context.release() }

        var rc = osprey_curl_setopt_string(handle, CURLOPT_UNIX_SOCKET_PATH, socketPath)
        rc = rc == CURLE_OK ? osprey_curl_setopt_string(handle, CURLOPT_URL, "http://osprey\(path)") : rc
        rc = rc == CURLE_OK ? osprey_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method) : rc
        rc = rc == CURLE_OK ? osprey_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, timeoutMilliseconds) : rc
        rc = rc == CURLE_OK ? osprey_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1) : rc
        rc = rc == CURLE_OK ? osprey_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context.toOpaque()) : rc
        rc = rc == CURLE_OK ? osprey_curl_setopt_write_function(handle) { data, size, count, context in
            let total = size * count
            guard let data, let context else { return 0 }
            let sink = Unmanaged<Sink>.fromOpaque(context).takeUnretainedValue()
            sink.bytes.append(contentsOf: UnsafeRawBufferPointer(start: data, count: total))
            return total
        } : rc
        guard rc == CURLE_OK else { throw ControlClientError("libcurl rejected an option: \(String(cString: curl_easy_strerror(rc)))") }

        let payload = body ?? []
        let result: CURLcode = payload.withUnsafeBytes { raw in
            if body != nil {
                _ = osprey_curl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, raw.count)
                _ = osprey_curl_setopt_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!))
            }
            return curl_easy_perform(handle)
        }
        guard result == CURLE_OK else {
            throw ControlClientError(
                "cannot reach the osprey daemon at \(socketPath): \(String(cString: curl_easy_strerror(result))); "
                    + "is it running (systemctl status osprey), and may this user open the socket (root or group osprey)?")
        }
        var status = 0
        _ = osprey_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return Response(status: status, body: sink.bytes)
    }
}

public struct ControlClientError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
