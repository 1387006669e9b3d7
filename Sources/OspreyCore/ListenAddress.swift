/// A TCP host and port, written `127.0.0.1:7469`, `[::1]:7469` or `localhost:7469`.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`; returns a sentence saying what is wrong otherwise.
    public static func parse(_ text: String) -> Result<ListenAddress, ListenAddressError> {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                return .failure(ListenAddressError("an IPv6 address must be written in brackets, like [::1]:7469"))
            }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.first == ":" else {
                return .failure(ListenAddressError("expected ':' and a port after the bracketed address"))
            }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                return .failure(ListenAddressError("expected host:port, like 127.0.0.1:7469"))
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            if host.contains(":") {
                return .failure(ListenAddressError("an IPv6 address must be written in brackets, like [::1]:7469"))
            }
        }
        guard !host.isEmpty else {
            return .failure(ListenAddressError("the host is empty; use 127.0.0.1 for loopback or 0.0.0.0 for all interfaces"))
        }
        guard let port = Int(portText), (1...65535).contains(port) else {
            return .failure(ListenAddressError("the port must be a number from 1 to 65535, not '\(portText)'"))
        }
        return .success(ListenAddress(host: String(host), port: port))
    }

    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

public struct ListenAddressError: Error, Sendable, Equatable {
    public let message: String
    init(_ message: String) { self.message = message }
}

extension ListenAddressError: CodedError {
    public var code: String { "config" }
    public var description: String { message }
}
