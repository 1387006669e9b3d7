import OspreyCore

extension TOMLParser {
    mutating func parseValue() throws(ConfigurationProblem) -> TOMLValue {
        let start = location
        guard let byte = peek() else { throw problem("expected a value, found the end of the file") }
        if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
            guard depth < Self.maxDepth else { throw problem("arrays and inline tables nest more than \(Self.maxDepth) levels deep here") }
            depth += 1
        }
        defer { if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") { depth -= 1 } }
        switch byte {
        case UInt8(ascii: "\""):
            if peek(1) == UInt8(ascii: "\""), peek(2) == UInt8(ascii: "\"") {
                return TOMLValue(.string(try parseMultilineString(quote: UInt8(ascii: "\""))), at: start)
            }
            return TOMLValue(.string(try parseBasicString()), at: start)
        case UInt8(ascii: "'"):
            if peek(1) == UInt8(ascii: "'"), peek(2) == UInt8(ascii: "'") {
                return TOMLValue(.string(try parseMultilineString(quote: UInt8(ascii: "'"))), at: start)
            }
            return TOMLValue(.string(try parseLiteralString()), at: start)
        case UInt8(ascii: "["):
            return TOMLValue(.array(try parseArray()), at: start)
        case UInt8(ascii: "{"):
            return TOMLValue(.table(try parseInlineTable()), at: start)
        default:
            return try parseScalar(at: start)
        }
    }

    // MARK: Strings

    mutating func parseBasicString() throws(ConfigurationProblem) -> String {
        index += 1
        var out: [UInt8] = []
        while true {
            guard let byte = peek() else { throw problem("this string is not closed; add a '\"'") }
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &out)
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                throw problem("this string is not closed before the end of the line; add a '\"'")
            default:
                if isControl(byte) { throw problem("control characters must be escaped in strings") }
                out.append(byte)
                index += 1
            }
        }
    }

    mutating func parseLiteralString() throws(ConfigurationProblem) -> String {
        index += 1
        let begin = index
        while true {
            guard let byte = peek() else { throw problem("this string is not closed; add a \"'\"") }
            if byte == UInt8(ascii: "'") {
                let text = String(decoding: bytes[begin..<index], as: UTF8.self)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                throw problem("this string is not closed before the end of the line; add a \"'\"")
            }
            if isControl(byte) { throw problem("control characters are not allowed in literal strings") }
            index += 1
        }
    }

    /// `"""…"""` (with escapes and line-ending backslashes) or `'''…'''` (raw).
    mutating func parseMultilineString(quote: UInt8) throws(ConfigurationProblem) -> String {
        let basic = quote == UInt8(ascii: "\"")
        index += 3
        _ = try consumeNewline()  // a newline right after the opening delimiter is trimmed
        var out: [UInt8] = []
        while true {
            guard let byte = peek() else { throw problem("this multi-line string is not closed") }
            if byte == quote, peek(1) == quote, peek(2) == quote {
                var run = 3
                while peek(run) == quote { run += 1 }
                guard run <= 5 else { throw problem("too many quotes at the end of a multi-line string") }
                out.append(contentsOf: repeatElement(quote, count: run - 3))
                index += run
                return String(decoding: out, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                let wasCR = byte == UInt8(ascii: "\r")
                _ = try consumeNewline()
                out.append(contentsOf: wasCR ? [13, 10] : [10])
            } else if basic && byte == UInt8(ascii: "\\") {
                if try !skipLineEndingBackslash() { try parseEscape(into: &out) }
            } else {
                if isControl(byte) { throw problem("control characters must be escaped in strings") }
                out.append(byte)
                index += 1
            }
        }
    }

    /// A `\` followed only by spaces up to the end of the line swallows all whitespace that follows.
    mutating func skipLineEndingBackslash() throws(ConfigurationProblem) -> Bool {
        var probe = index + 1
        while probe < bytes.count, bytes[probe] == UInt8(ascii: " ") || bytes[probe] == UInt8(ascii: "\t") { probe += 1 }
        guard probe < bytes.count, bytes[probe] == UInt8(ascii: "\n") || bytes[probe] == UInt8(ascii: "\r") else { return false }
        index = probe
        while true {
            skipSpaces()
            if try !consumeNewline() { return true }
        }
    }

    mutating func parseEscape(into out: inout [UInt8]) throws(ConfigurationProblem) {
        let escapeStart = index
        index += 1
        guard let code = peek() else { throw problem("the string ends inside an escape sequence") }
        index += 1
        switch code {
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let digits = code == UInt8(ascii: "u") ? 4 : 8
            guard index + digits <= bytes.count,
                let value = UInt32(String(decoding: bytes[index..<index + digits], as: UTF8.self), radix: 16),
                let scalar = Unicode.Scalar(value)
            else {
                throw problem("\\\(Character(UnicodeScalar(code))) must be followed by \(digits) hex digits naming a Unicode scalar value", at: escapeStart)
            }
            index += digits
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        default:
            throw problem("unknown escape sequence; valid ones are \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX", at: escapeStart)
        }
    }

    // MARK: Arrays and inline tables

    mutating func parseArray() throws(ConfigurationProblem) -> [TOMLValue] {
        let open = location
        index += 1
        var elements: [TOMLValue] = []
        while true {
            try skipBlankLines()
            guard let byte = peek() else { throw ConfigurationProblem(at: open, "this array is not closed; add a ']'") }
            if byte == UInt8(ascii: "]") {
                index += 1
                return elements
            }
            elements.append(try parseValue())
            try skipBlankLines()
            if atEnd { throw ConfigurationProblem(at: open, "this array is not closed; add a ']'") }
            if peek() == UInt8(ascii: ",") {
                index += 1
            } else if peek() != UInt8(ascii: "]") {
                throw problem("expected ',' or ']' in the array, found \(describeCurrent())")
            }
        }
    }

    mutating func parseInlineTable() throws(ConfigurationProblem) -> TOMLTable {
        let table = TOMLTable(at: location, origin: .dotted)
        index += 1
        skipSpaces()
        if peek() == UInt8(ascii: "}") {
            index += 1
            table.origin = .inline
            return table
        }
        while true {
            try parseKeyValue(into: table)
            skipSpaces()
            guard let byte = peek() else { throw problem("this inline table is not closed; add a '}'") }
            if byte == UInt8(ascii: "}") {
                index += 1
                Self.seal(table)
                return table
            }
            guard byte == UInt8(ascii: ",") else {
                throw problem("expected ',' or '}' in the inline table (inline tables stay on one line), found \(describeCurrent())")
            }
            index += 1
            skipSpaces()
            if peek() == UInt8(ascii: "}") { throw problem("a trailing comma is not allowed in an inline table") }
        }
    }

    /// Inline tables are complete where they are written: nothing may add keys to them later.
    static func seal(_ table: TOMLTable) {
        table.origin = .inline
        for key in table.keys {
            if case .table(let child)? = table[key]?.value.kind { seal(child) }
        }
    }
}
