import OspreyCore

public struct HTTPClientRequest: Sendable {
    public enum Method: String, Sendable {
        case get = "GET", post = "POST", delete = "DELETE"
    }

    public var method: Method
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?
    /// Overrides the client's total timeout for this request.
    public var timeout: Duration?
    /// The request reaches a connection once at most: when the connection dies before any byte of the
    /// answer, the request fails (`.connection`) instead of being re-sent by libcurl on a fresh connection.
    /// On for every method but GET: an order or a cancel that may have been processed is never sent again
    /// by the transport; whoever sent it settles it by asking (a query by client order id).
    public var atMostOnce: Bool

    public init(_ method: Method = .get, _ url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil, timeout: Duration? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        atMostOnce = method != .get
    }
}

public struct HTTPClientResponse: Sendable {
    public let status: Int
    /// Header names in lower case, in the order received.
    public let headers: [(name: String, value: String)]
    public let body: [UInt8]
    /// Whether the request went over an already open connection (keep-alive).
    public let reusedConnection: Bool
    /// "1.1" or "2".
    public let httpVersion: String

    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.last { $0.name == lowered }?.value
    }
}

/// The HTTP client's settings; each source may add its own proxy.
public struct HTTPClientConfiguration: Sendable {
    public var connectTimeout: Duration
    public var totalTimeout: Duration
    /// Responses larger than this (after decompression) are aborted.
    public var maxResponseBytes: Int
    public var userAgent: String

    public init(connectTimeout: Duration = .seconds(5), totalTimeout: Duration = .seconds(15), maxResponseBytes: Int = 8 << 20, userAgent: String) {
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maxResponseBytes = maxResponseBytes
        self.userAgent = userAgent
    }
}

/// A failed request, in one sentence naming the method, the host and path (never the query or userinfo,
/// where keys live) and the cause.
public struct HTTPClientError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// Connect or total timeout.
        case timeout
        /// DNS, refused, reset, or the connection closed mid-response.
        case connection
        /// Certificate or handshake failure.
        case tls
        /// Larger than `maxResponseBytes`.
        case tooLarge = "too_large"
        case cancelled
        /// libcurl could not be loaded, or a transfer could not be set up.
        case unavailable
        case other
    }

    public let kind: Kind
    public let description: String

    init(_ kind: Kind, _ request: HTTPClientRequest, _ cause: String) {
        self.kind = kind
        self.description = "\(request.method.rawValue) \(RedactedURL.display(request.url)): \(cause)"
    }

    init(unavailable cause: String) {
        kind = .unavailable
        description = cause
    }

    /// Timeouts, connection failures and 5xx are worth retrying; TLS and size failures are not.
    public var isTransient: Bool { kind == .timeout || kind == .connection }
}

extension HTTPClientError {
    /// As a source gate sees it: transport trouble worth a retry (timeouts, connections), or a failure.
    func gateReply<Value: Sendable>() -> GateReply<Value> {
        isTransient ? .transient(description, code: kind.rawValue) : .failure(description, code: kind.rawValue)
    }
}

extension HTTPClientResponse {
    /// The `Retry-After` delay (seconds, or an HTTP date counted from `now`), if the server sent one.
    func retryAfter(now: Double) -> Duration? {
        header("retry-after").flatMap { RetryAfter.delay($0, now: now) }
    }
}

extension HTTPClientRequest {
    /// RFC 3986: everything but unreserved characters percent-encoded.
    public static func percentEncoded(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                encoded += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 15)]], as: UTF8.self)
            }
        }
        return encoded
    }
}

extension HTTPClientError: CodedError {
    public var code: String { kind.rawValue }
}
