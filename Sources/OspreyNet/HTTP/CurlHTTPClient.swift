internal import CCurl
import OspreyCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// An async HTTP client on libcurl's multi interface. One thread of its own drives every transfer, so no
/// Swift concurrency thread ever blocks on the network; the multi handle keeps connections alive per host
/// and negotiates HTTP/2 where offered; responses are decompressed (gzip, deflate, br as libcurl supports),
/// capped in size, and TLS is always verified.
public final class CurlHTTPClient: Sendable {
    private struct Inbox {
        var submitted: [Transfer] = []
        var cancelled: [Transfer] = []
        var stopping = false
    }

    public let configuration: HTTPClientConfiguration
    /// `CURLM *`, used only on the client's thread (and by `curl_multi_wakeup`, which is thread-safe).
    private nonisolated(unsafe) let multi: UnsafeMutableRawPointer
    private let inbox = Mutex(Inbox())
    private let thread = Mutex<pthread_t?>(nil)

    /// Loads libcurl (once per process) and starts the transfer thread.
    public init(configuration: HTTPClientConfiguration) throws(HTTPClientError) {
        var reason = [CChar](repeating: 0, count: 256)
        guard osprey_curl_load(&reason, reason.count) == 0 else {
            throw HTTPClientError(unavailable: String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        guard let multi = osprey_curl_multi_init() else { throw HTTPClientError(unavailable: "curl_multi_init failed") }
        osprey_curl_multi_setopt_long(multi, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        osprey_curl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, 8)
        self.configuration = configuration
        self.multi = multi
        let box = Unmanaged.passRetained(self).toOpaque()
        var handle = pthread_t()
        guard pthread_create(&handle, nil, { box in
            let client = Unmanaged<CurlHTTPClient>.fromOpaque(box!).takeRetainedValue()
            client.loop()
            return nil
        }, box) == 0 else {
            Unmanaged<CurlHTTPClient>.fromOpaque(box).release()
            osprey_curl_multi_cleanup(multi)
            throw HTTPClientError(unavailable: "cannot start the HTTP client thread")
        }
        thread.withLock { $0 = handle }
    }

    /// libcurl's version line, e.g. "libcurl/7.88.1 OpenSSL/3.0.15 zlib/1.2.13 brotli/1.0.9 nghttp2/1.52.0".
    public var libraryVersion: String { String(cString: osprey_curl_version()) }

    public func send(_ request: HTTPClientRequest, proxy: String? = nil) async throws(HTTPClientError) -> HTTPClientResponse {
        let transfer = Transfer(request: request, proxy: proxy, configuration: configuration)
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<HTTPClientResponse, HTTPClientError>, Never>) in
                transfer.continuation = continuation
                let accepted = inbox.withLock { inbox -> Bool in
                    guard !inbox.stopping else { return false }
                    inbox.submitted.append(transfer)
                    return true
                }
                if accepted {
                    osprey_curl_multi_wakeup(multi)
                } else {
                    continuation.resume(returning: .failure(HTTPClientError(.cancelled, request, "the HTTP client is shut down")))
                }
            }
        } onCancel: {
            inbox.withLock { $0.cancelled.append(transfer) }
            osprey_curl_multi_wakeup(multi)
        }
        return try result.get()
    }

    /// Fails every transfer in flight and stops the thread; later requests fail at once.
    public func shutdown() {
        inbox.withLock { $0.stopping = true }
        osprey_curl_multi_wakeup(multi)
        if let handle = thread.withLock({ $0.take() }) { pthread_join(handle, nil) }
    }

    // MARK: The transfer thread

    private func loop() {
        var active: [UInt: Transfer] = [:]
        while true {
            let (submitted, cancelled, stopping) = inbox.withLock { inbox in
                defer {
                    inbox.submitted = []
                    inbox.cancelled = []
                }
                return (inbox.submitted, inbox.cancelled, inbox.stopping)
            }
            for transfer in submitted {
                if let failure = transfer.start(on: multi) {
                    transfer.finish(.failure(failure))
                } else {
                    active[transfer.key] = transfer
                }
            }
            for transfer in cancelled where active.removeValue(forKey: transfer.key) != nil {
                osprey_curl_multi_remove_handle(multi, transfer.easy)
                transfer.finish(.failure(HTTPClientError(.cancelled, transfer.request, "cancelled")))
            }
            if stopping {
                for transfer in active.values {
                    osprey_curl_multi_remove_handle(multi, transfer.easy)
                    transfer.finish(.failure(HTTPClientError(.cancelled, transfer.request, "the HTTP client is shut down")))
                }
                osprey_curl_multi_cleanup(multi)
                return
            }
            var running: Int32 = 0
            osprey_curl_multi_perform(multi, &running)
            var easy: UnsafeMutableRawPointer?
            var code = CURLE_OK
            while osprey_curl_multi_next_done(multi, &easy, &code) == 1 {
                guard let easy, let transfer = active.removeValue(forKey: UInt(bitPattern: easy)) else { continue }
                osprey_curl_multi_remove_handle(multi, easy)
                transfer.finish(transfer.result(code))
            }
            var ready: Int32 = 0
            osprey_curl_multi_poll(multi, 1000, &ready)
        }
    }
}
