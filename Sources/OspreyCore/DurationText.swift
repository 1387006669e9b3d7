/// Durations as configuration writes them: `500ms`, `30s`, `5m`, `6h`, `1d`, or combinations like `1h30m`,
/// up to `maximum`. Parsing counts milliseconds in checked 64-bit arithmetic: a number of any size is an
/// error, never an overflow.
public enum DurationText {
    /// 100 years: beyond any schedule, window or timeout, and far inside what every later computation with
    /// a duration (deadlines, instants, milliseconds) can hold.
    public static let maximum = Duration.seconds(36_500 * 86_400)
    /// What a duration may look like, for error messages.
    public static let expected = #"a duration like "500ms", "30s", "5m", "6h" or "1h30m", at most 36500d"#

    public static func parse(_ text: String) -> Duration? {
        guard !text.isEmpty else { return nil }
        let limit = maximum.components.seconds * 1000
        var total: Int64 = 0
        var number = ""
        var unit = ""
        func flush() -> Bool {
            guard let value = Int64(number), !unit.isEmpty else { return false }
            let size: Int64
            switch unit {
            case "ms": size = 1
            case "s": size = 1000
            case "m": size = 60_000
            case "h": size = 3_600_000
            case "d": size = 86_400_000
            default: return false
            }
            let (milliseconds, overflow) = value.multipliedReportingOverflow(by: size)
            guard !overflow, milliseconds <= limit - total else { return false }
            total += milliseconds
            number = ""
            unit = ""
            return true
        }
        for character in text {
            if character.isASCII && character.isNumber {
                if !unit.isEmpty { guard flush() else { return nil } }
                number.append(character)
            } else if character.isASCII && character.isLetter {
                guard !number.isEmpty else { return nil }
                unit.append(character)
            } else {
                return nil
            }
        }
        return flush() ? .milliseconds(total) : nil
    }

    /// The shortest form, for messages and `osprey jobs list`: `90s` → `1m30s`.
    public static func format(_ duration: Duration) -> String {
        guard duration <= maximum else { return "\(duration.components.seconds)s" }
        var milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        guard milliseconds > 0 else { return "0s" }
        var text = ""
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)] where milliseconds >= size {
            text += "\(milliseconds / size)\(unit)"
            milliseconds %= size
        }
        return text
    }
}
