import OspreyCore

extension JSON {
    /// Runs `body` with a view of this value that reads the tape and the bytes through pointers, with no
    /// reference counting per value read: decoding a large document (10,000 DexScreener pairs) visits each
    /// object's members once instead of searching them once per field. The view must not escape `body`.
    public func withView<Result>(_ body: (View) throws -> Result) rethrows -> Result {
        try document.tape.withUnsafeBufferPointer { tape in
            try document.bytes.withUnsafeBufferPointer { bytes in try body(View(tape: tape, bytes: bytes, index: index)) }
        }
    }

    /// A value of a parsed document, valid inside `withView`.
    public struct View {
        let tape: UnsafeBufferPointer<Node>
        let bytes: UnsafeBufferPointer<UInt8>
        let index: Int

        var node: Node { tape[index] }

        public var isNull: Bool { node.kind == .null }
        public var isArray: Bool { node.kind == .array }
        public var isObject: Bool { node.kind == .object }

        /// Each member of an object in document order (nothing for any other value).
        public func forEachMember(_ body: (Key, View) throws -> Void) rethrows {
            let object = node
            guard object.kind == .object else { return }
            var child = index + 1
            let end = object.next(at: index)
            while child < end {
                let value = View(tape: tape, bytes: bytes, index: child + 1)
                try body(Key(node: tape[child], bytes: bytes), value)
                child = value.node.next(at: child + 1)
            }
        }

        /// The number of elements of an array or members of an object; 0 for any other value.
        public var count: Int {
            let container = node
            guard container.kind == .array || container.kind == .object else { return 0 }
            var (count, child) = (0, index + 1)
            let (end, step) = (container.next(at: index), container.kind == .object ? 1 : 0)
            while child < end {
                count += 1
                child = tape[child + step].next(at: child + step)
            }
            return count
        }

        /// Each element of an array (nothing for any other value).
        public func forEachElement(_ body: (View) throws -> Void) rethrows {
            let array = node
            guard array.kind == .array else { return }
            var child = index + 1
            let end = array.next(at: index)
            while child < end {
                try body(View(tape: tape, bytes: bytes, index: child))
                child = tape[child].next(at: child)
            }
        }

        /// The member `key` of an object (a name written in the code: no String is made to compare).
        public subscript(key: StaticString) -> View? {
            member(named: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        }

        func member(named wanted: UnsafeBufferPointer<UInt8>) -> View? {
            let object = node
            guard object.kind == .object else { return nil }
            var child = index + 1
            let end = object.next(at: index)
            while child < end {
                if Key(node: tape[child], bytes: bytes).matches(wanted) { return View(tape: tape, bytes: bytes, index: child + 1) }
                child = tape[child + 1].next(at: child + 1)
            }
            return nil
        }

        public var string: String? {
            let node = node
            switch node.kind {
            case .string: return string(of: node)
            case .escapedString: return JSONParser.unescape(ArraySlice(bytes[node.start..<node.end]))
            default: return nil
            }
        }

        /// A number, or a string holding one (APIs send prices as strings): exact.
        public var decimal: Decimal? {
            let node = node
            guard node.kind == .number || node.kind == .string else { return nil }
            return Decimal(utf8: UnsafeBufferPointer(rebasing: bytes[node.start..<node.end]))
        }

        /// A whole number (counts, timestamps), from a number or a numeric string.
        public var integer: Int64? {
            let node = node
            guard node.kind == .number || node.kind == .string, node.end > node.start else { return nil }
            var position = node.start
            let negative = bytes[position] == UInt8(ascii: "-")
            if negative { position += 1 }
            guard position < node.end else { return nil }
            var value: Int64 = 0
            while position < node.end {
                let byte = bytes[position]
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (added, overflow2) = shifted.addingReportingOverflow(Int64(byte - 0x30))
                guard !overflow1 && !overflow2 else { return nil }
                value = added
                position += 1
            }
            return negative ? -value : value
        }

        /// The number's text as written, for tests and messages.
        public var numberText: String? {
            node.kind == .number ? string(of: node) : nil
        }

        private func string(of node: Node) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: bytes[node.start..<node.end]), as: UTF8.self)
        }
    }

    /// An object member's name, compared in place (`switch key { case "chainId": … }`).
    public struct Key {
        let node: Node
        let bytes: UnsafeBufferPointer<UInt8>

        /// Inlined: a `switch` over a dozen names compares each key with each case, and nearly every
        /// comparison ends at the length.
        @inline(__always) func matches(_ wanted: UnsafeBufferPointer<UInt8>) -> Bool {
            let (start, end) = (node.start, node.end)
            if node.kind == .escapedString { return JSONParser.unescape(ArraySlice(bytes[start..<end])).utf8.elementsEqual(wanted) }
            guard end - start == wanted.count else { return false }
            var offset = 0
            while offset < wanted.count && bytes[start + offset] == wanted[offset] { offset += 1 }
            return offset == wanted.count
        }

        @inline(__always) public static func ~= (pattern: StaticString, key: Key) -> Bool {
            key.matches(UnsafeBufferPointer(start: pattern.utf8Start, count: pattern.utf8CodeUnitCount))
        }
    }
}
