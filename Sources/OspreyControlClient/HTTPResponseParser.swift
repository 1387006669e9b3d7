/// Parses a complete HTTP/1.1 response (the connection was closed by the server): status line, headers,
/// and a body framed by Content-Length, chunked encoding, or the end of the connection.
enum HTTPResponseParser {
    static func parse(_ bytes: [UInt8], from source: String) throws(ControlClientError) -> ControlClient.Response {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let headEnd = bytes.firstRange(of: separator) else {
            throw ControlClientError("the answer from \(source) is not an HTTP response")
        }
        let head = String(decoding: bytes[..<headEnd.lowerBound], as: UTF8.self).split(separator: "\r\n")
        let statusParts = head.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else {
            throw ControlClientError("the answer from \(source) has no valid HTTP status line")
        }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = String(line[line.index(after: colon)...].drop { $0 == " " })
        }
        let rest = Array(bytes[headEnd.upperBound...])
        if headers["transfer-encoding"]?.lowercased() == "chunked" {
            return .init(status: status, body: try dechunk(rest, source: source))
        }
        if let length = headers["content-length"].flatMap({ Int($0) }) {
            guard rest.count >= length else { throw ControlClientError("the answer from \(source) ended early") }
            return .init(status: status, body: Array(rest.prefix(length)))
        }
        return .init(status: status, body: rest)
    }

    static func dechunk(_ bytes: [UInt8], source: String) throws(ControlClientError) -> [UInt8] {
        var body: [UInt8] = []
        var index = 0
        while true {
            guard let lineEnd = bytes[index...].firstRange(of: [13, 10]) else { throw ControlClientError("the answer from \(source) ended early") }
            let sizeText = String(decoding: bytes[index..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText, radix: 16), size >= 0 else { throw ControlClientError("the answer from \(source) has a bad chunk size") }
            index = lineEnd.upperBound
            if size == 0 { return body }
            guard index + size + 2 <= bytes.count else { throw ControlClientError("the answer from \(source) ended early") }
            body += bytes[index..<index + size]
            index += size + 2
        }
    }
}
