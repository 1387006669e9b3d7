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
        withView { $0[key]?.index }.map { JSON(document: document, index: $0) }
    }

    public var string: String? { withView(\.string) }

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
    public var decimal: Decimal? { withView(\.decimal) }

    /// A whole number (counts, timestamps), from a number or a numeric string.
    public var integer: Int64? { withView(\.integer) }

    /// The number's text as written, for tests and messages.
    public var numberText: String? { withView(\.numberText) }
}

public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    public let offset: Int
    public let reason: String
    public var description: String { "malformed JSON at byte \(offset): \(reason)" }
}
