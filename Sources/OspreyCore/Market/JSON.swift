/// A JSON document with numbers kept as their text, so a price or volume goes from the wire into a `Decimal`
/// without ever being a binary float. Strict RFC 8259: anything else (truncated, trailing garbage, bad
/// escapes, NaN) is a `JSONError` naming the byte offset.
public enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSON])
    case object([String: JSON])

    public subscript(key: String) -> JSON? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var array: [JSON]? {
        if case .array(let values) = self { return values }
        return nil
    }

    /// A number, or a string holding one (APIs send prices as strings): exact.
    public var decimal: Decimal? {
        switch self {
        case .number(let text), .string(let text): Decimal(text)
        default: nil
        }
    }

    /// A whole number (counts, timestamps), from a number or a numeric string.
    public var integer: Int64? {
        switch self {
        case .number(let text), .string(let text): Int64(text)
        default: nil
        }
    }

    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONError) -> JSON {
        try Array(bytes).withUnsafeBufferPointer { buffer throws(JSONError) in
            var parser = JSONParser(buffer)
            let value = try parser.value(depth: 0)
            parser.skipSpace()
            guard parser.offset == buffer.count else { throw parser.error("unexpected data after the document") }
            return value
        }
    }
}

public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    public let offset: Int
    public let reason: String
    public var description: String { "malformed JSON at byte \(offset): \(reason)" }
}

struct JSONParser {
    static let maxDepth = 64
    let bytes: UnsafeBufferPointer<UInt8>
    var offset = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    func error(_ reason: String) -> JSONError {
        JSONError(offset: offset, reason: offset >= bytes.count ? "the document ends early (\(reason))" : reason)
    }

    mutating func skipSpace() {
        while offset < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[offset]) { offset += 1 }
    }

    mutating func value(depth: Int) throws(JSONError) -> JSON {
        guard depth < Self.maxDepth else { throw error("nested deeper than \(Self.maxDepth) levels") }
        skipSpace()
        guard offset < bytes.count else { throw error("expected a value") }
        switch bytes[offset] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw error("unexpected character '\(Unicode.Scalar(bytes[offset]))'")
        }
    }

    private mutating func object(depth: Int) throws(JSONError) -> JSON {
        offset += 1
        var members: [String: JSON] = [:]
        skipSpace()
        if offset < bytes.count && bytes[offset] == UInt8(ascii: "}") {
            offset += 1
            return .object(members)
        }
        while true {
            skipSpace()
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else { throw error("expected a member name") }
            let key = try string()
            skipSpace()
            try expect(":")
            members[key] = try value(depth: depth + 1)
            skipSpace()
            guard offset < bytes.count else { throw error("expected ',' or '}'") }
            if bytes[offset] == UInt8(ascii: ",") { offset += 1; continue }
            try expect("}")
            return .object(members)
        }
    }

    private mutating func array(depth: Int) throws(JSONError) -> JSON {
        offset += 1
        var values: [JSON] = []
        skipSpace()
        if offset < bytes.count && bytes[offset] == UInt8(ascii: "]") {
            offset += 1
            return .array(values)
        }
        while true {
            values.append(try value(depth: depth + 1))
            skipSpace()
            guard offset < bytes.count else { throw error("expected ',' or ']'") }
            if bytes[offset] == UInt8(ascii: ",") { offset += 1; continue }
            try expect("]")
            return .array(values)
        }
    }

    private mutating func expect(_ character: Unicode.Scalar) throws(JSONError) {
        guard offset < bytes.count, bytes[offset] == UInt8(character.value) else { throw error("expected '\(character)'") }
        offset += 1
    }

    private mutating func literal(_ word: StaticString) throws(JSONError) {
        let count = word.utf8CodeUnitCount
        guard offset + count <= bytes.count,
              (0..<count).allSatisfy({ bytes[offset + $0] == word.utf8Start[$0] }) else { throw error("expected \(word)") }
        offset += count
    }

    private mutating func number() throws(JSONError) -> String {
        let start = offset
        func digits() -> Int {
            let begin = offset
            while offset < bytes.count, bytes[offset] >= 0x30, bytes[offset] <= 0x39 { offset += 1 }
            return offset - begin
        }
        if bytes[offset] == UInt8(ascii: "-") { offset += 1 }
        let integer = offset
        guard digits() > 0 else { throw error("expected digits") }
        if bytes[integer] == UInt8(ascii: "0") && offset - integer > 1 { throw error("a number has a leading zero") }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            offset += 1
            guard digits() > 0 else { throw error("expected digits after the decimal point") }
        }
        if offset < bytes.count, bytes[offset] | 0x20 == UInt8(ascii: "e") {
            offset += 1
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") { offset += 1 }
            guard digits() > 0 else { throw error("expected digits in the exponent") }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
    }

    private mutating func string() throws(JSONError) -> String {
        offset += 1
        let start = offset
        // Fast path: no escapes.
        while offset < bytes.count, bytes[offset] != UInt8(ascii: "\""), bytes[offset] != UInt8(ascii: "\\") {
            guard bytes[offset] >= 0x20 else { throw error("a control character in a string") }
            offset += 1
        }
        guard offset < bytes.count else { throw error("an unterminated string") }
        var scalars = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self).unicodeScalars
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                offset += 1
                return String(scalars)
            }
            if byte == UInt8(ascii: "\\") {
                offset += 1
                guard offset < bytes.count else { break }
                let escape = bytes[offset]
                offset += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800...0xDBFF).contains(code) {  // a surrogate pair
                        guard offset + 1 < bytes.count, bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u") else {
                            throw error("an unpaired surrogate")
                        }
                        offset += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw error("an unpaired surrogate") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw error("an invalid \\u escape") }
                    scalars.append(scalar)
                default:
                    throw error("an invalid escape")
                }
                continue
            }
            guard byte >= 0x20 else { throw error("a control character in a string") }
            // Copy a run of plain bytes (valid UTF-8 is decoded; invalid bytes become U+FFFD).
            let run = offset
            while offset < bytes.count, bytes[offset] != UInt8(ascii: "\""), bytes[offset] != UInt8(ascii: "\\"), bytes[offset] >= 0x20 { offset += 1 }
            scalars.append(contentsOf: String(decoding: UnsafeBufferPointer(rebasing: bytes[run..<offset]), as: UTF8.self).unicodeScalars)
        }
        throw error("an unterminated string")
    }

    private mutating func hex4() throws(JSONError) -> UInt32 {
        guard offset + 4 <= bytes.count else { throw error("a short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[offset]
            let digit: UInt32
            switch byte {
            case 0x30...0x39: digit = UInt32(byte - 0x30)
            case 0x41...0x46: digit = UInt32(byte - 0x37)
            case 0x61...0x66: digit = UInt32(byte - 0x57)
            default: throw error("a bad hex digit in a \\u escape")
            }
            value = value << 4 | digit
            offset += 1
        }
        return value
    }
}
