/// `Retry-After` (RFC 9110 §10.2.3): delay-seconds, or an HTTP-date in any of the three formats a recipient
/// must accept (IMF-fixdate, obsolete RFC 850, asctime). Returns the delay from `now` (Unix seconds), never
/// negative; nil when the value is neither.
public enum RetryAfter {
    public static func delay(_ value: String, now: Double) -> Duration? {
        let text = value.trimmingSpaces
        if !text.isEmpty, text.utf8.allSatisfy({ (48...57).contains($0) }) {
            return Int64(text).map { .seconds($0) }  // nil when it overflows: not a delay anyone can mean
        }
        guard let date = HTTPDate.parse(text) else { return nil }
        let delay = Double(date) - now
        return delay > 0 ? .milliseconds(Int64((delay * 1000).rounded(.up))) : .zero
    }
}

/// HTTP-date parsing to Unix seconds, UTC.
public enum HTTPDate {
    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    public static func parse(_ text: String) -> Int64? {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        switch parts.count {
        case 6 where parts[5] == "GMT":  // Sun, 06 Nov 1994 08:49:37 GMT
            return make(day: parts[1], month: parts[2], year: parts[3], time: parts[4])
        case 4 where parts[3] == "GMT":  // Sunday, 06-Nov-94 08:49:37 GMT
            let date = parts[1].split(separator: "-").map(String.init)
            guard date.count == 3, let short = Int(date[2]) else { return nil }
            let year = short < 70 ? 2000 + short : 1900 + short  // RFC 9110: interpret a far-future year as past
            return make(day: date[0], month: date[1], year: String(year), time: parts[2])
        case 5:  // Sun Nov  6 08:49:37 1994
            return make(day: parts[2], month: parts[1], year: parts[4], time: parts[3])
        default:
            return nil
        }
    }

    private static func make(day: String, month: String, year: String, time: String) -> Int64? {
        let clock = time.split(separator: ":").compactMap { Int64($0) }
        guard let day = Int64(day), let year = Int64(year), let month = months.firstIndex(of: month.lowercased()),
              clock.count == 3, (1...31).contains(day), (0...23).contains(clock[0]), (0...59).contains(clock[1]),
              (0...60).contains(clock[2]) else { return nil }
        return daysFromCivil(year: year, month: Int64(month + 1), day: day) * 86400 + clock[0] * 3600 + clock[1] * 60 + clock[2]
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

extension String {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
