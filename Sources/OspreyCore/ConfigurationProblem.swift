/// A place in a configuration file: 1-based line and column.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// One thing wrong with the configuration, located as precisely as the input allows.
/// Rendered like a compiler diagnostic: `/etc/osprey/osprey.toml:4:9: log.level: expected one of …`.
public struct ConfigurationProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where the problem is; nil only when no file position exists (a whole missing file, say).
    public let location: SourceLocation?
    /// The file when no line is known.
    public let file: String?
    /// The dotted key path, when the problem belongs to a key.
    public let key: String?
    /// A full sentence saying what is wrong and what was expected. Never contains a secret value.
    public let message: String

    public init(at location: SourceLocation, key: String? = nil, _ message: String) {
        self.location = location
        self.file = location.file
        self.key = key
        self.message = message
    }

    public init(file: String, key: String? = nil, _ message: String) {
        self.location = nil
        self.file = file
        self.key = key
        self.message = message
    }

    public var description: String {
        var text = ""
        if let location {
            text = "\(location): "
        } else if let file {
            text = "\(file): "
        }
        if let key { text += "\(key): " }
        return text + message
    }
}

/// Every problem found in one pass, so the operator can fix them all at once.
public struct ConfigurationErrors: Error, Sendable, CustomStringConvertible {
    public let problems: [ConfigurationProblem]

    public init(_ problems: [ConfigurationProblem]) {
        self.problems = problems
    }

    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}

extension ConfigurationProblem: CodedError {
    public var code: String { "config" }
}

extension ConfigurationErrors: CodedError {
    public var code: String { "config" }
}
