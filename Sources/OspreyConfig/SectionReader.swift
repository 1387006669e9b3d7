import OspreyCore

/// Reads the keys of one table with type checks, remembers which keys were read, and reports the rest
/// as unknown. Every problem carries the position of the offending key or value.
struct SectionReader {
    let table: TOMLTable
    let path: String
    private(set) var problems: [ConfigurationProblem] = []
    private var known: [String] = []

    init(_ table: TOMLTable, path: String) {
        self.table = table
        self.path = path
    }

    func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    mutating func report(_ value: TOMLValue, key: String, _ message: String) {
        problems.append(ConfigurationProblem(at: value.location, key: keyPath(key), message))
    }

    mutating func value(_ key: String) -> TOMLValue? {
        known.append(key)
        return table[key]?.value
    }

    mutating func string(_ key: String) -> (text: String, value: TOMLValue)? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value.kind else {
            report(value, key: key, "expected a string, found \(value.typeDescription)")
            return nil
        }
        return (text, value)
    }

    mutating func integer(_ key: String, in range: ClosedRange<Int>) -> Int? {
        guard let value = value(key) else { return nil }
        guard case .integer(let number) = value.kind else {
            report(value, key: key, "expected an integer, found \(value.typeDescription)")
            return nil
        }
        guard range.contains(Int(number)) else {
            report(value, key: key, "expected an integer from \(range.lowerBound) to \(range.upperBound), found \(number)")
            return nil
        }
        return Int(number)
    }

    /// An exact decimal written as a number (`3.5`, `10000`) or a string (`"0.00001"`), at least `minimum`.
    mutating func decimal(_ key: String, minimum: Decimal = .zero) -> Decimal? {
        guard let value = value(key) else { return nil }
        let text: String?
        switch value.kind {
        case .integer, .float: text = value.numberText
        case .string(let string): text = string
        default:
            report(value, key: key, "expected a number, found \(value.typeDescription)")
            return nil
        }
        guard let text, let decimal = Decimal(text) else {
            report(value, key: key, "expected a decimal number like 2.5 or \"0.0001\"")
            return nil
        }
        guard decimal >= minimum else {
            report(value, key: key, "must be at least \(minimum), found \(decimal)")
            return nil
        }
        return decimal
    }

    mutating func boolean(_ key: String) -> Bool? {
        guard let value = value(key) else { return nil }
        guard case .boolean(let flag) = value.kind else {
            report(value, key: key, "expected true or false, found \(value.typeDescription)")
            return nil
        }
        return flag
    }

    /// A duration string like "30s", "5m", "1h30m", at least `minimum`.
    mutating func duration(_ key: String, minimum: Duration = .zero) -> Duration? {
        guard let (text, value) = string(key) else { return nil }
        guard let duration = DurationText.parse(text) else {
            report(value, key: key, "expected \(DurationText.expected), found \"\(text)\"")
            return nil
        }
        guard duration >= minimum else {
            report(value, key: key, "must be at least \(DurationText.format(minimum)), found \"\(text)\"")
            return nil
        }
        return duration
    }

    /// A string that must be one of the raw values of `E`.
    mutating func choice<E: RawRepresentable & CaseIterable>(_ key: String, as type: E.Type) -> E? where E.RawValue == String {
        choice(key, in: Array(E.allCases))
    }

    /// One of `options`, by raw value.
    mutating func choice<E: RawRepresentable>(_ key: String, in options: [E]) -> E? where E.RawValue == String {
        guard let (text, value) = string(key) else { return nil }
        guard let choice = options.first(where: { $0.rawValue == text }) else {
            let names = options.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            report(value, key: key, "expected one of \(names), found \"\(text)\"")
            return nil
        }
        return choice
    }

    /// A problem about the table itself (a missing key), at `location`.
    mutating func problem(at location: SourceLocation, key: String, _ message: String) {
        problems.append(ConfigurationProblem(at: location, key: keyPath(key), message))
    }

    var tableLocation: SourceLocation? { table.location }

    /// A key the table lacks, reported at the table's position.
    mutating func missing(_ key: String, _ message: String) {
        problem(at: table.location, key: key, message)
    }

    /// The `name` of a `[[job]]`, `[[signal]]` or `[[strategy]]`: required, 1–64 of `a-z0-9-`. Nil (the
    /// problem reported) when absent or invalid.
    mutating func name(noun: String) -> String? {
        guard let (text, value) = string("name") else {
            missing("name", "every \(noun) needs a name")
            return nil
        }
        if let problem = JobSpec.nameProblem(text, noun: noun) {
            report(value, key: "name", problem)
            return nil
        }
        return text
    }

    /// The keys of the table, in the order written.
    var keys: [String] { table.keys }

    /// The value without marking the key as read (for a second check on a value already decoded).
    func peek(_ key: String) -> TOMLValue? {
        table[key]?.value
    }

    /// Takes over the problems of a reader of a nested table.
    mutating func absorb(_ nested: SectionReader) {
        problems += nested.problems
    }

    /// An absolute URL with one of `schemes` (`http://…`), without spaces.
    mutating func url(_ key: String, schemes: [String]) -> String? {
        guard let (text, value) = string(key) else { return nil }
        let scheme = text.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
        guard schemes.contains(scheme.lowercased()), text.dropFirst(scheme.count).hasPrefix("://"),
              text.count > scheme.count + 3, !text.contains(" ") else {
            report(value, key: key, "expected a URL starting with \(schemes.map { $0 + "://" }.joined(separator: " or ")), found \"\(RedactedURL.display(text))\"")
            return nil
        }
        return text
    }

    /// An array of non-empty strings.
    mutating func strings(_ key: String) -> [String]? {
        guard let value = value(key) else { return nil }
        guard case .array(let elements) = value.kind else {
            report(value, key: key, "expected an array of strings, found \(value.typeDescription)")
            return nil
        }
        var strings: [String] = []
        for element in elements {
            guard case .string(let text) = element.kind, !text.isEmpty else {
                report(element, key: key, "expected a non-empty string, found \(element.typeDescription)")
                return nil
            }
            strings.append(text)
        }
        return strings
    }

    /// Reports every key that was not read, suggesting the closest known one.
    mutating func finish() {
        for key in table.keys where !known.contains(key) {
            guard let entry = table[key] else { continue }
            var message = "unknown key"
            if let suggestion = Self.closest(to: key, in: known) {
                message += "; did you mean '\(suggestion)'?"
            } else if !known.isEmpty {
                message += "; known keys here are \(known.sorted().joined(separator: ", "))"
            }
            problems.append(ConfigurationProblem(at: entry.keyLocation, key: keyPath(key), message))
        }
    }

    static func closest(to key: String, in candidates: [String]) -> String? {
        candidates
            .map { ($0, editDistance(Array(key), Array($0))) }
            .filter { $0.1 <= max(1, $0.0.count / 3) }
            .min { $0.1 < $1.1 }?.0
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and adjacent
    /// transpositions ("levle" → "level") each cost 1.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
