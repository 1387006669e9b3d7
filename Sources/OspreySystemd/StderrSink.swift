import Logging
import OspreyCore

#if canImport(Glibc)
import Glibc
#endif

/// Log lines on stderr: JSON (one object per line with the journal's field names plus TIMESTAMP) for log
/// shippers, text for terminals. Each line goes out in a single write(2).
enum StderrSink {
    static func write(_ record: LogRecord, json: Bool) {
        let timestamp = UTCTimestamp.now()
        var line: String
        if json {
            line = "{\"TIMESTAMP\":\"\(timestamp)\""
            for field in record.fields {
                line += ",\"\(field.name)\":\"\(jsonEscaped(field.value))\""
            }
            line += "}\n"
        } else {
            line = "\(timestamp) \(record.level) \(record.message)"
            for field in record.metadata {
                line += " \(field.name.dropFirst(7).lowercased())=\(field.value)"
            }
            line = String(line.map { $0 == "\n" ? " " : $0 }) + "\n"
        }
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 {
                    if written < 0 && errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }

    static func jsonEscaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// RFC 3339 UTC timestamps with milliseconds for log lines.
enum UTCTimestamp {
    static func now() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return UTCDateTime(unixSeconds: Int64(now.tv_sec)).rfc3339(milliseconds: Int(now.tv_nsec / 1_000_000))
    }
}
