import OspreyCore
import OspreyCrypto

/// Binance's SIGNED request scheme: the parameters as a percent-encoded query string (values encoded per
/// RFC 3986, in the order given), `recvWindow` and `timestamp` appended, and `signature` = hex
/// HMAC-SHA256 of exactly that string under the API secret. The key travels in `X-MBX-APIKEY`.
struct BinanceSigner: Sendable {
    private let secret: [UInt8]

    init(secret: String) {
        self.secret = Array(secret.utf8)
    }

    /// The signed query string for `parameters`.
    func sign(_ parameters: [(String, String)], receiveWindow: Int64, timestamp: Int64) -> String {
        let payload = Self.query(parameters + [("recvWindow", String(receiveWindow)), ("timestamp", String(timestamp))])
        return payload + "&signature=" + signature(payload)
    }

    func signature(_ payload: String) -> String {
        let mac = HMACSHA256.authenticationCode(for: Array(payload.utf8), key: secret)
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: mac.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] }, as: UTF8.self)
    }

    static func query(_ parameters: [(String, String)]) -> String {
        parameters.map { "\($0.0)=\(HTTPClientRequest.percentEncoded($0.1))" }.joined(separator: "&")
    }
}
