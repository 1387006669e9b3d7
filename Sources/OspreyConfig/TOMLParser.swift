import OspreyCore

/// A strict TOML 1.0 parser that keeps the source position of every key and value.
/// Errors are `ConfigurationProblem`s pointing at the exact line and column.
public struct TOMLParser {
    let bytes: [UInt8]
    let file: String
    var index = 0
    var line = 1
    var lineStart = 0
    /// Arrays and inline tables open around the current position.
    var depth = 0

    /// How deep arrays and inline tables may nest, and how many parts a dotted key may have: far beyond any
    /// configuration, and shallow enough that no reader of the document can run out of stack.
    static let maxDepth = 32
    static let maxKeyParts = 32

    /// Parses a whole document. `text` must already be valid UTF-8 (Swift strings are).
    public static func parse(_ text: String, file: String) throws(ConfigurationProblem) -> TOMLTable {
        var parser = TOMLParser(bytes: Array(text.utf8), file: file)
        return try parser.parseDocument()
    }

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    // MARK: Positions

    var location: SourceLocation { location(at: index) }

    func location(at position: Int) -> SourceLocation {
        // Columns count characters, not bytes: UTF-8 continuation bytes are skipped.
        var column = 1
        var cursor = lineStart
        while cursor < position && cursor < bytes.count {
            if bytes[cursor] & 0xC0 != 0x80 { column += 1 }
            cursor += 1
        }
        return SourceLocation(file: file, line: line, column: column)
    }

    func problem(_ message: String, at position: Int? = nil, key: String? = nil) -> ConfigurationProblem {
        ConfigurationProblem(at: location(at: position ?? index), key: key, message)
    }

    var atEnd: Bool { index >= bytes.count }
    func peek(_ offset: Int = 0) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    func describeCurrent() -> String {
        guard let byte = peek() else { return "the end of the file" }
        switch byte {
        case UInt8(ascii: "\n"), UInt8(ascii: "\r"): return "the end of the line"
        case 0x20...0x7E: return "'\(Character(UnicodeScalar(byte)))'"
        default: return "byte 0x\(String(byte, radix: 16))"
        }
    }

    // MARK: Whitespace, comments, newlines

    mutating func skipSpaces() {
        while let byte = peek(), byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { index += 1 }
    }

    /// Consumes one newline (`\n` or `\r\n`) if present.
    mutating func consumeNewline() throws(ConfigurationProblem) -> Bool {
        if peek() == UInt8(ascii: "\n") {
            index += 1
        } else if peek() == UInt8(ascii: "\r") {
            guard peek(1) == UInt8(ascii: "\n") else { throw problem("a carriage return must be followed by a newline") }
            index += 2
        } else {
            return false
        }
        line += 1
        lineStart = index
        return true
    }

    mutating func skipComment() throws(ConfigurationProblem) {
        guard peek() == UInt8(ascii: "#") else { return }
        while let byte = peek(), byte != UInt8(ascii: "\n") {
            if byte == UInt8(ascii: "\r") && peek(1) == UInt8(ascii: "\n") { break }
            if isControl(byte) { throw problem("control characters are not allowed in comments") }
            index += 1
        }
    }

    /// Spaces, comments and newlines, as allowed between array elements.
    mutating func skipBlankLines() throws(ConfigurationProblem) {
        while true {
            skipSpaces()
            try skipComment()
            if try !consumeNewline() { return }
        }
    }

    mutating func expectEndOfLine() throws(ConfigurationProblem) {
        skipSpaces()
        try skipComment()
        if atEnd { return }
        if try !consumeNewline() {
            throw problem("expected the end of the line after the value, found \(describeCurrent())")
        }
    }

    func isControl(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != UInt8(ascii: "\t")) || byte == 0x7F
    }

    // MARK: Document structure

    mutating func parseDocument() throws(ConfigurationProblem) -> TOMLTable {
        let root = TOMLTable(at: SourceLocation(file: file, line: 1, column: 1), origin: .header)
        var current = root
        while true {
            try skipBlankLines()
            guard let byte = peek() else { return root }
            if byte == UInt8(ascii: "[") {
                current = try parseHeader(root: root)
            } else {
                try parseKeyValue(into: current)
            }
            try expectEndOfLine()
        }
    }

    typealias KeyPart = (name: String, location: SourceLocation)

    mutating func parseKey() throws(ConfigurationProblem) -> [KeyPart] {
        var parts: [KeyPart] = []
        while true {
            skipSpaces()
            let start = location
            let name: String
            switch peek() {
            case UInt8(ascii: "\""):
                if peek(1) == UInt8(ascii: "\""), peek(2) == UInt8(ascii: "\"") {
                    throw problem("a key cannot be a multi-line string")
                }
                name = try parseBasicString()
            case UInt8(ascii: "'"):
                if peek(1) == UInt8(ascii: "'"), peek(2) == UInt8(ascii: "'") {
                    throw problem("a key cannot be a multi-line string")
                }
                name = try parseLiteralString()
            default:
                let begin = index
                while let byte = peek(), isBareKeyByte(byte) { index += 1 }
                guard index > begin else { throw problem("expected a key, found \(describeCurrent())") }
                name = String(decoding: bytes[begin..<index], as: UTF8.self)
            }
            parts.append((name, start))
            guard parts.count <= Self.maxKeyParts else {
                throw ConfigurationProblem(at: parts[0].location, "this key has more than \(Self.maxKeyParts) dotted parts")
            }
            skipSpaces()
            guard peek() == UInt8(ascii: ".") else { return parts }
            index += 1
        }
    }

    func isBareKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default: false
        }
    }

    static func dotted(_ parts: [KeyPart]) -> String {
        parts.map(\.name).joined(separator: ".")
    }

    /// `[a.b]` or `[[a.b]]`: returns the table that following key/value lines go into.
    mutating func parseHeader(root: TOMLTable) throws(ConfigurationProblem) -> TOMLTable {
        let headerStart = location
        index += 1
        let isArray = peek() == UInt8(ascii: "[")
        if isArray { index += 1 }
        let parts = try parseKey()
        guard peek() == UInt8(ascii: "]") else { throw problem("expected ']' to close the table header") }
        index += 1
        if isArray {
            guard peek() == UInt8(ascii: "]") else { throw problem("expected ']]' to close the array-of-tables header") }
            index += 1
        }
        let name = Self.dotted(parts)
        var table = root
        for part in parts.dropLast() {
            table = try descend(into: table, part: part, fullName: name)
        }
        let last = parts[parts.count - 1]
        if isArray { return try appendElement(to: table, last, name: name, at: headerStart) }
        let existing = table[last.name]

        guard let existing else {
            let created = TOMLTable(at: headerStart, origin: .header)
            table.set(last.name, .init(keyLocation: last.location, value: TOMLValue(.table(created), at: headerStart)))
            return created
        }
        guard case .table(let defined) = existing.value.kind, defined.origin == .implicit else {
            throw ConfigurationProblem(at: headerStart, key: name, "[\(name)] is already defined at \(existing.value.location)")
        }
        defined.origin = .header
        return defined
    }

    /// `[[name]]`: a new table at the end of the array of tables (in place: no copy of the earlier ones).
    func appendElement(to table: TOMLTable, _ last: KeyPart, name: String, at headerStart: SourceLocation) throws(ConfigurationProblem) -> TOMLTable {
        let element = TOMLTable(at: headerStart, origin: .arrayElement)
        if table.tableArrays.contains(last.name) {
            table.append(TOMLValue(.table(element), at: headerStart), toArrayAt: last.name)
            return element
        }
        if let existing = table[last.name] {
            throw ConfigurationProblem(at: headerStart, key: name, "[[\(name)]] cannot extend \(existing.value.typeDescription) defined at \(existing.value.location)")
        }
        table.set(last.name, .init(keyLocation: last.location, value: TOMLValue(.array([TOMLValue(.table(element), at: headerStart)]), at: headerStart)))
        table.tableArrays.insert(last.name)
        return element
    }

    /// One step of a header path: an existing table, the last table of an array of tables, or a new implicit table.
    mutating func descend(into table: TOMLTable, part: KeyPart, fullName: String) throws(ConfigurationProblem) -> TOMLTable {
        guard let entry = table[part.name] else {
            let created = TOMLTable(at: part.location, origin: .implicit)
            table.set(part.name, .init(keyLocation: part.location, value: TOMLValue(.table(created), at: part.location)))
            return created
        }
        switch entry.value.kind {
        case .table(let child) where child.origin != .inline:
            return child
        case .array(let elements) where table.tableArrays.contains(part.name):
            if case .table(let last)? = elements.last?.kind { return last }
        default:
            break
        }
        throw ConfigurationProblem(at: part.location, key: fullName, "'\(part.name)' is already defined as \(entry.value.typeDescription) at \(entry.value.location) and cannot hold sub-tables")
    }

    /// `a.b.c = value` inside `table`.
    mutating func parseKeyValue(into table: TOMLTable) throws(ConfigurationProblem) {
        let parts = try parseKey()
        guard peek() == UInt8(ascii: "=") else {
            throw problem("expected '=' after the key '\(Self.dotted(parts))', found \(describeCurrent())")
        }
        index += 1
        skipSpaces()
        let value = try parseValue()
        var target = table
        for part in parts.dropLast() {
            if let entry = target[part.name] {
                guard case .table(let child) = entry.value.kind, child.origin == .dotted else {
                    throw ConfigurationProblem(at: part.location, key: Self.dotted(parts), "'\(part.name)' is already defined at \(entry.value.location) and cannot be extended with a dotted key")
                }
                target = child
            } else {
                let created = TOMLTable(at: part.location, origin: .dotted)
                target.set(part.name, .init(keyLocation: part.location, value: TOMLValue(.table(created), at: part.location)))
                target = created
            }
        }
        let last = parts[parts.count - 1]
        if let existing = target[last.name] {
            throw ConfigurationProblem(at: last.location, key: Self.dotted(parts), "the key is defined twice; it was first defined at \(existing.keyLocation)")
        }
        target.set(last.name, .init(keyLocation: last.location, value: value))
    }
}
