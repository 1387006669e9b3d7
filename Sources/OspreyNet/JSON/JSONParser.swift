import OspreyCore

/// Builds `JSON`'s tape in one pass over the bytes, validating everything a strict parser must: structure,
/// number grammar, escapes and surrogate pairs, control characters, nesting depth. It reads through
/// pointers and writes nodes into a buffer sized for the worst case (`tapeCapacity`), so nothing is grown
/// per node; strings are scanned eight bytes at a time.
struct JSONParser {
    static let maxDepth = 64
    let bytes: UnsafePointer<UInt8>
    let count: Int
    var offset = 0
    let tape: UnsafeMutableBufferPointer<JSON.Node>
    var nodes = 0

    /// The most nodes `count` bytes can yield before the parser stops: a scalar is followed by a separator or
    /// a bracket and a closed container takes two brackets (two bytes each, but for the first value), and up
    /// to `maxDepth` containers can be open when a truncated document ends.
    static func tapeCapacity(_ count: Int) -> Int { count / 2 + maxDepth + 2 }

    init(_ bytes: UnsafePointer<UInt8>, count: Int, tape: UnsafeMutableBufferPointer<JSON.Node>) {
        (self.bytes, self.count, self.tape) = (bytes, count, tape)
    }

    func error(_ reason: String) -> JSONError {
        JSONError(offset: offset, reason: offset >= count ? "the document ends early (\(reason))" : reason)
    }

    @inline(__always) private mutating func append(_ kind: JSON.Kind, start: Int, extent: Int) {
        precondition(nodes < tape.count, "the JSON tape's bound is wrong")  // never a write past the buffer
        tape[nodes] = JSON.Node(kind: kind, start: start, extent: extent)
        nodes += 1
    }

    @inline(__always) mutating func skipSpace() {
        while offset < count {
            switch bytes[offset] {
            case 0x20, 0x09, 0x0A, 0x0D: offset += 1
            default: return
            }
        }
    }

    mutating func value(depth: Int) throws(JSONError) {
        guard depth < Self.maxDepth else { throw error("nested deeper than \(Self.maxDepth) levels") }
        skipSpace()
        guard offset < count else { throw error("expected a value") }
        switch bytes[offset] {
        case UInt8(ascii: "{"): try container(object: true, depth: depth)
        case UInt8(ascii: "["): try container(object: false, depth: depth)
        case UInt8(ascii: "\""): try string()
        case UInt8(ascii: "t"): try literal("true", .true)
        case UInt8(ascii: "f"): try literal("false", .false)
        case UInt8(ascii: "n"): try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
        default: throw error("unexpected character '\(Unicode.Scalar(bytes[offset]))'")
        }
    }

    private mutating func container(object: Bool, depth: Int) throws(JSONError) {
        let node = nodes
        append(object ? .object : .array, start: offset, extent: 0)
        offset += 1
        let close = UInt8(ascii: object ? "}" : "]")
        skipSpace()
        if offset < count && bytes[offset] == close {
            offset += 1
        } else {
            while true {
                if object {
                    skipSpace()
                    guard offset < count, bytes[offset] == UInt8(ascii: "\"") else { throw error("expected a member name") }
                    try string()
                    skipSpace()
                    try expect(":")
                }
                try value(depth: depth + 1)
                skipSpace()
                guard offset < count else { throw error(object ? "expected ',' or '}'" : "expected ',' or ']'") }
                if bytes[offset] == UInt8(ascii: ",") {
                    offset += 1
                    continue
                }
                try expect(object ? "}" : "]")
                break
            }
        }
        tape[node].extent = UInt32(nodes)
    }

    @inline(__always) private mutating func expect(_ character: Unicode.Scalar) throws(JSONError) {
        guard offset < count, bytes[offset] == UInt8(character.value) else { throw error("expected '\(character)'") }
        offset += 1
    }

    private mutating func literal(_ word: StaticString, _ kind: JSON.Kind) throws(JSONError) {
        let length = word.utf8CodeUnitCount
        guard offset + length <= count,
              (0..<length).allSatisfy({ bytes[offset + $0] == word.utf8Start[$0] }) else { throw error("expected \(word)") }
        append(kind, start: offset, extent: offset + length)
        offset += length
    }

    private mutating func number() throws(JSONError) {
        let start = offset
        func digits() -> Int {
            let begin = offset
            while offset < count, bytes[offset] &- 0x30 < 10 { offset += 1 }
            return offset - begin
        }
        if bytes[offset] == UInt8(ascii: "-") { offset += 1 }
        let integer = offset
        guard digits() > 0 else { throw error("expected digits") }
        if bytes[integer] == UInt8(ascii: "0") && offset - integer > 1 { throw error("a number has a leading zero") }
        if offset < count, bytes[offset] == UInt8(ascii: ".") {
            offset += 1
            guard digits() > 0 else { throw error("expected digits after the decimal point") }
        }
        if offset < count, bytes[offset] | 0x20 == UInt8(ascii: "e") {
            offset += 1
            if offset < count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") { offset += 1 }
            guard digits() > 0 else { throw error("expected digits in the exponent") }
        }
        append(.number, start: start, extent: offset)
    }

    /// The offset of the first byte from `offset` on that ends a run of plain string text (a quote, a
    /// backslash or a control character), or `count`. Eight bytes at a time: for each of the three tests,
    /// `(x - 0x01…) & ~x & 0x80…` marks the bytes that are zero (or below 0x20), and the lowest mark is
    /// always a true one.
    @inline(__always) private func plainText(from start: Int) -> Int {
        var position = start
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while position + 8 <= count {
            let word = UInt64(littleEndian: UnsafeRawPointer(bytes + position).loadUnaligned(as: UInt64.self))
            let quotes = word ^ (ones &* 0x22)
            let backslashes = word ^ (ones &* 0x5C)
            let marks = ((quotes &- ones) & ~quotes | (backslashes &- ones) & ~backslashes | (word &- ones &* 0x20) & ~word) & highs
            if marks != 0 { return position + marks.trailingZeroBitCount / 8 }
            position += 8
        }
        while position < count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { return position }
            position += 1
        }
        return position
    }

    /// Validates a string and records its raw content; escapes are decoded only when it is read.
    private mutating func string() throws(JSONError) {
        offset += 1
        let start = offset
        var escaped = false
        while true {
            offset = plainText(from: offset)
            guard offset < count else { break }
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                append(escaped ? .escapedString : .string, start: start, extent: offset)
                offset += 1
                return
            }
            guard byte >= 0x20 else { throw error("a control character in a string") }
            escaped = true  // a backslash
            offset += 1
            guard offset < count else { break }
            switch bytes[offset] {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                 UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                offset += 1
            case UInt8(ascii: "u"):
                offset += 1
                let code = try hex4()
                if (0xD800...0xDBFF).contains(code) {
                    guard offset + 1 < count, bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u") else {
                        throw error("an unpaired surrogate")
                    }
                    offset += 2
                    guard (0xDC00...0xDFFF).contains(try hex4()) else { throw error("an unpaired surrogate") }
                } else if (0xDC00...0xDFFF).contains(code) {
                    throw error("an unpaired surrogate")
                }
            default:
                throw error("an invalid escape")
            }
        }
        throw error("an unterminated string")
    }

    private mutating func hex4() throws(JSONError) -> UInt32 {
        guard offset + 4 <= count, let value = Self.hex(UnsafeBufferPointer(start: bytes + offset, count: 4)) else { throw error("a bad \\u escape") }
        offset += 4
        return value
    }

    /// Hex digits as an unsigned integer (the caller bounds the digit count to the type's width).
    static func hex<Value: FixedWidthInteger & UnsignedInteger>(_ digits: some Collection<UInt8>, as type: Value.Type = UInt32.self) -> Value? {
        var value: Value = 0
        for byte in digits {
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x41...0x46: digit = byte - 0x37
            case 0x61...0x66: digit = byte - 0x57
            default: return nil
            }
            value = value << 4 | Value(digit)
        }
        return value
    }

    /// Decodes the escapes of a string the parser validated.
    static func unescape(_ raw: ArraySlice<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        var run = raw.startIndex
        var index = raw.startIndex
        func flush(_ end: Int) {
            if run < end { scalars.append(contentsOf: String(decoding: raw[run..<end], as: UTF8.self).unicodeScalars) }
        }
        while index < raw.endIndex {
            guard raw[index] == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            flush(index)
            let escape = raw[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                var code = hex(raw[index..<index + 4]) ?? 0xFFFD
                index += 4
                if (0xD800...0xDBFF).contains(code), let low = hex(raw[index + 2..<index + 6]) {
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
            default: scalars.append(Unicode.Scalar(escape))  // \" \\ \/
            }
            run = index
        }
        flush(raw.endIndex)
        return String(scalars)
    }
}
