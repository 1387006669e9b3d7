/// A parsed JSON document, kept as its bytes plus a flat "tape" of nodes (offsets into the bytes), the way
/// simdjson does: parsing allocates two arrays, not an object per value, and a value is decoded only when
/// read. Numbers stay text until read, so a price goes from the wire into a `Decimal` without ever being a
/// binary float. Strict RFC 8259: anything else (truncated, trailing garbage, bad escapes, NaN) is a
/// `JSONError` naming the byte offset.
public struct JSON: Sendable {
    enum Kind: UInt8, Sendable {
        case null, `true`, `false`, number, string, escapedString, array, object
    }

    /// One value. Strings and numbers: `start..<end` is the text (without quotes). Containers: their
    /// children follow the node (an object's as key, value, key, value…); `next` is the index after the
    /// whole subtree.
    struct Node: Sendable {
        var kind: Kind
        var start: Int32
        var end: Int32
        var next: Int32
    }

    final class Document: Sendable {
        let bytes: [UInt8]
        let tape: [Node]

        init(bytes: [UInt8], tape: [Node]) {
            self.bytes = bytes
            self.tape = tape
        }
    }

    let document: Document
    let index: Int

    private var node: Node { document.tape[index] }

    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONError) -> JSON {
        let array = Array(bytes)
        guard array.count < Int(Int32.max) else { throw JSONError(offset: 0, reason: "the document is larger than 2 GiB") }
        let tape = try array.withUnsafeBufferPointer { buffer throws(JSONError) in
            var parser = JSONParser(buffer)
            parser.tape.reserveCapacity(buffer.count / 8)
            try parser.value(depth: 0)
            parser.skipSpace()
            guard parser.offset == buffer.count else { throw parser.error("unexpected data after the document") }
            return parser.tape
        }
        return JSON(document: Document(bytes: array, tape: tape), index: 0)
    }

    public var isNull: Bool { node.kind == .null }

    public var boolean: Bool? {
        switch node.kind {
        case .true: true
        case .false: false
        default: nil
        }
    }

    /// The member `key` of an object.
    public subscript(key: String) -> JSON? {
        var key = key
        let found = key.withUTF8 { wanted in
            document.tape.withUnsafeBufferPointer { tape in
                document.bytes.withUnsafeBufferPointer { bytes in Self.member(wanted, of: index, tape: tape, bytes: bytes) }
            }
        }
        return found.map { JSON(document: document, index: $0) }
    }

    /// The tape index of the value of member `wanted` in the object at `index`, comparing key bytes in place.
    private static func member(
        _ wanted: UnsafeBufferPointer<UInt8>, of index: Int, tape: UnsafeBufferPointer<Node>, bytes: UnsafeBufferPointer<UInt8>
    ) -> Int? {
        let object = tape[index]
        guard object.kind == .object else { return nil }
        var child = index + 1
        while child < Int(object.next) {
            let key = tape[child]
            let (start, end) = (Int(key.start), Int(key.end))
            if key.kind == .escapedString {
                if JSONParser.unescape(ArraySlice(bytes[start..<end])).utf8.elementsEqual(wanted) { return child + 1 }
            } else if end - start == wanted.count {
                var offset = 0
                while offset < wanted.count && bytes[start + offset] == wanted[offset] { offset += 1 }
                if offset == wanted.count { return child + 1 }
            }
            child = Int(tape[child + 1].next)
        }
        return nil
    }

    public var string: String? {
        let node = node
        switch node.kind {
        case .string: return String(decoding: document.bytes[Int(node.start)..<Int(node.end)], as: UTF8.self)
        case .escapedString: return JSONParser.unescape(document.bytes[Int(node.start)..<Int(node.end)])
        default: return nil
        }
    }

    public var array: [JSON]? {
        let container = node
        guard container.kind == .array else { return nil }
        var elements: [JSON] = []
        var child = index + 1
        while child < Int(container.next) {
            elements.append(JSON(document: document, index: child))
            child = Int(document.tape[child].next)
        }
        return elements
    }

    /// A number, or a string holding one (APIs send prices as strings): exact.
    public var decimal: Decimal? {
        let node = node
        guard node.kind == .number || node.kind == .string else { return nil }
        return Decimal(utf8: document.bytes[Int(node.start)..<Int(node.end)])
    }

    /// A whole number (counts, timestamps), from a number or a numeric string.
    public var integer: Int64? {
        let node = node
        guard node.kind == .number || node.kind == .string else { return nil }
        var value: Int64 = 0
        var negative = false
        var digits = 0
        for (position, byte) in document.bytes[Int(node.start)..<Int(node.end)].enumerated() {
            if position == 0 && byte == UInt8(ascii: "-") {
                negative = true
                continue
            }
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (added, overflow2) = shifted.addingReportingOverflow(Int64(byte - 0x30))
            guard !overflow1 && !overflow2 else { return nil }
            value = added
            digits += 1
        }
        guard digits > 0 else { return nil }
        return negative ? -value : value
    }

    /// The number's text as written, for tests and messages.
    public var numberText: String? {
        let node = node
        guard node.kind == .number else { return nil }
        return String(decoding: document.bytes[Int(node.start)..<Int(node.end)], as: UTF8.self)
    }
}

public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    public let offset: Int
    public let reason: String
    public var description: String { "malformed JSON at byte \(offset): \(reason)" }
}
