import OspreyCore

/// A parsed JSON document, kept as its bytes plus a flat "tape" of nodes (offsets into the bytes), the way
/// simdjson does: parsing allocates two arrays, not an object per value, and a value is decoded only when
/// read. Numbers stay text until read, so a price goes from the wire into a `Decimal` without ever being a
/// binary float. Strict RFC 8259: anything else (truncated, trailing garbage, bad escapes, NaN) is a
/// `JSONError` naming the byte offset.
public struct JSON: Sendable {
    enum Kind: UInt8, Sendable {
        case null, `true`, `false`, number, string, escapedString, array, object
    }

    /// One value, in 8 bytes. Strings and numbers: `start..<end` is the text (without quotes). Containers:
    /// their children follow the node (an object's as key, value, key, value…), and `next(at:)` is the index
    /// after the whole subtree.
    struct Node: Sendable {
        /// The kind in the top 3 bits, `start` in the rest (documents are smaller than 512 MiB).
        private var head: UInt32
        /// A string's or number's end offset; a container's next index.
        var extent: UInt32

        static let maxOffset = (1 << 29) - 1

        init(kind: Kind, start: Int, extent: Int) {
            head = UInt32(kind.rawValue) << 29 | UInt32(truncatingIfNeeded: start)
            self.extent = UInt32(truncatingIfNeeded: extent)
        }

        var kind: Kind { unsafeBitCast(UInt8(truncatingIfNeeded: head >> 29), to: Kind.self) }  // all 8 values are kinds
        var start: Int { Int(head & UInt32(Self.maxOffset)) }
        var end: Int { Int(extent) }

        /// The tape index after this value (at `index`) and its children.
        func next(at index: Int) -> Int { kind.rawValue >= Kind.array.rawValue ? Int(extent) : index + 1 }
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
        guard array.count <= Node.maxOffset else { throw JSONError(offset: 0, reason: "the document is larger than 512 MiB") }
        guard !array.isEmpty else { throw JSONError(offset: 0, reason: "the document ends early (expected a value)") }
        var failure: JSONError?
        // Sized for the worst case: pages that are never written are never backed by memory.
        let tape = array.withUnsafeBufferPointer { buffer in
            [Node](unsafeUninitializedCapacity: JSONParser.tapeCapacity(buffer.count)) { tape, initialized in
                var parser = JSONParser(buffer.baseAddress!, count: buffer.count, tape: tape)
                do throws(JSONError) {
                    try parser.value(depth: 0)
                    parser.skipSpace()
                    if parser.offset != buffer.count { throw parser.error("unexpected data after the document") }
                } catch {
                    failure = error
                }
                initialized = parser.nodes
            }
        }
        if let failure { throw failure }
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
        return withView { view in key.withUTF8 { view.member(named: $0)?.index } }.map { JSON(document: document, index: $0) }
    }

    public var string: String? { withView(\.string) }

    public var array: [JSON]? {
        withView { view -> [Int]? in
            guard view.isArray else { return nil }
            var elements: [Int] = []
            view.forEachElement { elements.append($0.index) }
            return elements
        }?.map { JSON(document: document, index: $0) }
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

extension JSONError: CodedError {
    public var code: String { "malformed_json" }
}
