internal import CCurl
import OspreyCore

/// One request's libcurl easy handle and the buffers its callbacks fill.
/// `@unchecked Sendable`: created on the caller's task, then touched only by the client's transfer thread
/// (libcurl calls the callbacks on the thread running `curl_multi_perform`); the continuation is resumed
/// exactly once, from that thread.
final class Transfer: @unchecked Sendable {
    let request: HTTPClientRequest
    let proxy: String?
    let configuration: HTTPClientConfiguration
    var continuation: CheckedContinuation<Result<HTTPClientResponse, HTTPClientError>, Never>?
    private(set) var easy: UnsafeMutableRawPointer?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var body: [UInt8] = []
    private var headers: [(name: String, value: String)] = []
    private var tooLarge = false
    /// libcurl writes its detailed message here; it must outlive the handle, so it is not a Swift array.
    private let errorBuffer: UnsafeMutablePointer<CChar> = {
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        buffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        return buffer
    }()

    init(request: HTTPClientRequest, proxy: String?, configuration: HTTPClientConfiguration) {
        self.request = request
        self.proxy = proxy
        self.configuration = configuration
    }

    /// How often libcurl handed the request to a connection; read by the at-most-once guard on libcurl's
    /// thread, so it lives outside Swift's exclusivity checks, like the error buffer.
    private let attempts: UnsafeMutablePointer<Int32> = {
        let count = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        count.initialize(to: 0)
        return count
    }()

    deinit {
        errorBuffer.deallocate()
        attempts.deallocate()
    }

    var key: UInt { easy.map { UInt(bitPattern: $0) } ?? 0 }

    /// Creates and configures the easy handle and adds it to `multi`; returns why it could not.
    func start(on multi: UnsafeMutableRawPointer) -> HTTPClientError? {
        guard let easy = osprey_curl_easy_init() else { return HTTPClientError(.unavailable, request, "curl_easy_init failed") }
        self.easy = easy
        let this = Unmanaged.passUnretained(self).toOpaque()
        var codes: [CURLcode] = [
            osprey_curl_easy_setopt_string(easy, CURLOPT_URL, request.url),
            osprey_curl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1),
            osprey_curl_easy_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https"),
            osprey_curl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 1),
            osprey_curl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 2),
            osprey_curl_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0),
            osprey_curl_easy_setopt_long(easy, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS)),
            osprey_curl_easy_setopt_string(easy, CURLOPT_ACCEPT_ENCODING, ""),  // every encoding libcurl decodes
            osprey_curl_easy_setopt_string(easy, CURLOPT_USERAGENT, configuration.userAgent),
            osprey_curl_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, configuration.connectTimeout.milliseconds),
            osprey_curl_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, (request.timeout ?? configuration.totalTimeout).milliseconds),
            osprey_curl_easy_setopt_offset(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(configuration.maxResponseBytes)),
            osprey_curl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer),
            osprey_curl_easy_setopt_write(easy, CURLOPT_WRITEFUNCTION, { data, size, count, this in
                Unmanaged<Transfer>.fromOpaque(this!).takeUnretainedValue().received(data!, size * count)
            }),
            osprey_curl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, this),
            osprey_curl_easy_setopt_write(easy, CURLOPT_HEADERFUNCTION, { data, size, count, this in
                Unmanaged<Transfer>.fromOpaque(this!).takeUnretainedValue().receivedHeader(data!, size * count)
            }),
            osprey_curl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, this),
        ]
        if let proxy { codes.append(osprey_curl_easy_setopt_string(easy, CURLOPT_PROXY, proxy)) }
        if request.atMostOnce { codes.append(osprey_curl_easy_send_at_most_once(easy, attempts)) }
        for (name, value) in request.headers { headerList = osprey_curl_slist_append(headerList, "\(name): \(value)") }
        if let headerList { codes.append(osprey_curl_easy_setopt_pointer(easy, CURLOPT_HTTPHEADER, headerList)) }
        if request.method == .post {
            let payload = request.body ?? []
            codes.append(osprey_curl_easy_setopt_long(easy, CURLOPT_POSTFIELDSIZE, payload.count))
            codes.append(payload.withUnsafeBufferPointer { buffer in
                buffer.baseAddress.map { osprey_curl_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0)) }
                    ?? osprey_curl_easy_setopt_string(easy, CURLOPT_COPYPOSTFIELDS, "")
            })
        } else if request.method == .delete {
            codes.append(osprey_curl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, "DELETE"))
        }
        if let failed = codes.first(where: { $0 != CURLE_OK }) {
            return HTTPClientError(.unavailable, request, "cannot set up the request: \(String(cString: osprey_curl_easy_strerror(failed)))")
        }
        guard osprey_curl_multi_add_handle(multi, easy) == CURLM_OK else {
            return HTTPClientError(.unavailable, request, "cannot add the request to the transfer loop")
        }
        return nil
    }

    private func received(_ data: UnsafeMutablePointer<CChar>, _ count: Int) -> Int {
        guard body.count + count <= configuration.maxResponseBytes else {
            tooLarge = true
            return 0  // libcurl aborts the transfer with CURLE_WRITE_ERROR
        }
        data.withMemoryRebound(to: UInt8.self, capacity: count) { body.append(contentsOf: UnsafeBufferPointer(start: $0, count: count)) }
        return count
    }

    private func receivedHeader(_ data: UnsafeMutablePointer<CChar>, _ count: Int) -> Int {
        let line = data.withMemoryRebound(to: UInt8.self, capacity: count) {
            String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
        }.trimmingLineEnd
        if line.hasPrefix("HTTP/") {
            headers = []  // a new response (after 100 Continue, or through a proxy's CONNECT)
        } else if let colon = line.firstIndex(of: ":") {
            let value = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
            headers.append((line[..<colon].lowercased(), String(value)))
        }
        return count
    }

    /// The response, or the error that `code` means.
    func result(_ code: CURLcode) -> Result<HTTPClientResponse, HTTPClientError> {
        guard code == CURLE_OK else {
            let detail = String(cString: errorBuffer).isEmpty ? String(cString: osprey_curl_easy_strerror(code)) : String(cString: errorBuffer)
            switch code {
            case CURLE_ABORTED_BY_CALLBACK where attempts.pointee > 1:
                return .failure(HTTPClientError(.connection, request, "the connection closed before any answer; not sent again (at most once)"))
            case CURLE_OPERATION_TIMEDOUT:
                return .failure(HTTPClientError(.timeout, request, detail))
            case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT, CURLE_SEND_ERROR,
                 CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM:
                return .failure(HTTPClientError(.connection, request, detail))
            case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE:
                return .failure(HTTPClientError(.tls, request, detail))
            case CURLE_WRITE_ERROR where tooLarge, CURLE_FILESIZE_EXCEEDED:
                return .failure(HTTPClientError(.tooLarge, request, "the response is larger than \(configuration.maxResponseBytes) bytes"))
            default:
                return .failure(HTTPClientError(.other, request, detail))
            }
        }
        var status = 0
        var connects = 0
        var version = 0
        osprey_curl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        osprey_curl_easy_getinfo_long(easy, CURLINFO_NUM_CONNECTS, &connects)
        osprey_curl_easy_getinfo_long(easy, CURLINFO_HTTP_VERSION, &version)
        return .success(HTTPClientResponse(
            status: status, headers: headers, body: body, reusedConnection: connects == 0,
            httpVersion: version == Int(CURL_HTTP_VERSION_2_0) ? "2" : "1.1"))
    }

    /// Resumes the caller and frees the handle. Called once, on the transfer thread.
    func finish(_ result: Result<HTTPClientResponse, HTTPClientError>) {
        continuation?.resume(returning: result)
        continuation = nil
        if let easy { osprey_curl_easy_cleanup(easy) }
        easy = nil
        if let headerList { osprey_curl_slist_free_all(headerList) }
        headerList = nil
    }
}

extension Duration {
    var milliseconds: Int {
        Int(components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000)
    }
}

extension String {
    var trimmingLineEnd: String {
        var scalars = unicodeScalars
        while let last = scalars.last, last == "\r" || last == "\n" { scalars.removeLast() }  // "\r\n" is one Character
        return String(scalars)
    }
}
