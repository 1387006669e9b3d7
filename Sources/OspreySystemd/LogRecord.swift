import Logging

/// One log event as journal-style fields, shared by the journal, JSON and text writers so that every
/// format carries the same data: MESSAGE, PRIORITY, SYSLOG_IDENTIFIER, CODE_*, and OSPREY_<KEY> per
/// metadata key.
struct LogRecord {
    static let identifier = "osprey"

    var fields: [(name: String, value: String)]
    let level: Logger.Level
    let message: String
    let metadata: [(name: String, value: String)]

    init(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata, file: String, function: String, line: UInt) {
        self.level = level
        self.message = message.description
        self.metadata = metadata.sorted { $0.key < $1.key }.map { (Self.fieldName($0.key), $0.value.description) }
        fields = [
            ("MESSAGE", self.message),
            ("PRIORITY", String(level.syslogPriority)),
            ("SYSLOG_IDENTIFIER", Self.identifier),
            ("CODE_FILE", file),
            ("CODE_LINE", String(line)),
            ("CODE_FUNC", function),
        ]
        fields += self.metadata
    }

    /// `order.id` → `OSPREY_ORDER_ID`: upper case, `[A-Z0-9_]`, at most 64 characters, as journald requires.
    static func fieldName(_ key: String) -> String {
        var name = "OSPREY_"
        for scalar in key.unicodeScalars {
            switch scalar {
            case "a"..."z": name.unicodeScalars.append(Unicode.Scalar(scalar.value - 32)!)
            case "A"..."Z", "0"..."9": name.unicodeScalars.append(scalar)
            default: if !name.hasSuffix("_") { name.append("_") }
            }
        }
        while name.hasSuffix("_") && name.count > 7 { name.removeLast() }
        return String(name.prefix(64))
    }
}
