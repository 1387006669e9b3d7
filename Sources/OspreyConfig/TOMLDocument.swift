import OspreyCore

/// A parsed TOML value that remembers where it was written, so every later error can point at it.
public struct TOMLValue {
    public enum Kind {
        case string(String)
        case integer(Int64)
        case float(Double)
        case boolean(Bool)
        /// Offset/local date-times, dates and times, kept as their validated RFC 3339 text.
        case datetime(String)
        case array([TOMLValue])
        case table(TOMLTable)
    }

    public var kind: Kind
    public let location: SourceLocation
    /// A number as written (underscores removed), so a threshold like `3.5` reaches a `Decimal` exactly.
    public var numberText: String?

    /// Adds an element to an array value without copying the elements already there.
    mutating func append(_ element: TOMLValue) {
        guard case .array(var elements) = kind else { return }
        kind = .boolean(false)  // drops the enum's reference, so `elements` is the array's only owner
        elements.append(element)
        kind = .array(elements)
    }

    public init(_ kind: Kind, at location: SourceLocation, numberText: String? = nil) {
        self.kind = kind
        self.location = location
        self.numberText = numberText
    }

    /// The TOML type name used in error messages ("expected a string, found an integer").
    public var typeDescription: String {
        switch kind {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a float"
        case .boolean: "a boolean"
        case .datetime: "a date-time"
        case .array: "an array"
        case .table: "a table"
        }
    }
}

/// A TOML table: keys in the order they were written, each with the position of the key itself.
/// A reference type while parsing, because `[a.b]` headers reopen tables created earlier.
public final class TOMLTable {
    public struct Entry {
        public let keyLocation: SourceLocation
        public var value: TOMLValue
    }

    public private(set) var keys: [String] = []
    private var entries: [String: Entry] = [:]
    public let location: SourceLocation

    /// How the table came to exist; TOML forbids defining one twice or extending an inline one.
    enum Origin {
        case header, implicit, dotted, inline, arrayElement
    }
    var origin: Origin
    /// `[[name]]` arrays may be appended to by later headers; `name = [...]` arrays may not.
    var tableArrays: Set<String> = []

    init(at location: SourceLocation, origin: Origin) {
        self.location = location
        self.origin = origin
    }

    public subscript(key: String) -> Entry? {
        entries[key]
    }

    func set(_ key: String, _ entry: Entry) {
        if entries[key] == nil { keys.append(key) }
        entries[key] = entry
    }

    /// Appends `element` to the array at `key` in place: a `[[name]]` header costs the same whether it is
    /// the first or the 100,000th.
    func append(_ element: TOMLValue, toArrayAt key: String) {
        entries[key]?.value.append(element)
    }

    /// Overlays `other` onto this table: tables merge key by key, `[[arrays of tables]]` are appended (so a
    /// `conf.d` file can add a `[[job]]`), anything else is replaced. This is how `conf.d/*.toml` files
    /// override the main file.
    public func merge(_ other: TOMLTable) {
        for key in other.keys {
            guard let incoming = other[key] else { continue }
            if case .table(let mine) = entries[key]?.value.kind, case .table(let theirs) = incoming.value.kind {
                mine.merge(theirs)
            } else if tableArrays.contains(key), other.tableArrays.contains(key),
                case .array(let mine)? = entries[key]?.value.kind, case .array(let theirs) = incoming.value.kind {
                set(key, Entry(keyLocation: entries[key]!.keyLocation, value: TOMLValue(.array(mine + theirs), at: entries[key]!.value.location)))
            } else {
                set(key, incoming)
                if other.tableArrays.contains(key) { tableArrays.insert(key) } else { tableArrays.remove(key) }
            }
        }
    }
}
