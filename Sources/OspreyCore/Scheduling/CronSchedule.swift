/// A 5-field cron expression (minute hour day-of-month month day-of-week), evaluated in UTC.
/// Supports `*`, lists (`1,15`), ranges (`9-17`), steps (`*/5`, `10-40/10`), month and weekday names
/// (`jan`, `mon-fri`), and 7 as Sunday. As in Vixie cron, when both day-of-month and day-of-week are
/// restricted, a time matches if either does.
public struct CronSchedule: Sendable, Equatable, CustomStringConvertible {
    public let description: String
    let minutes: Set<Int>
    let hours: Set<Int>
    let daysOfMonth: Set<Int>
    let months: Set<Int>
    let daysOfWeek: Set<Int>
    let dayOfMonthRestricted: Bool
    let dayOfWeekRestricted: Bool

    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
    }

    static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    public init(_ expression: String) throws(ParseError) {
        let fields = expression.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { $0.lowercased() }
        guard fields.count == 5 else {
            throw ParseError(description: "a cron expression has 5 fields (minute hour day-of-month month day-of-week), found \(fields.count)")
        }
        description = fields.joined(separator: " ")
        minutes = try Self.field(fields[0], name: "minute", range: 0...59, names: [])
        hours = try Self.field(fields[1], name: "hour", range: 0...23, names: [])
        daysOfMonth = try Self.field(fields[2], name: "day-of-month", range: 1...31, names: [])
        months = try Self.field(fields[3], name: "month", range: 1...12, names: Self.monthNames, firstNameValue: 1)
        var weekdays = try Self.field(fields[4], name: "day-of-week", range: 0...7, names: Self.dayNames, firstNameValue: 0)
        if weekdays.remove(7) != nil { weekdays.insert(0) }
        daysOfWeek = weekdays
        dayOfMonthRestricted = !fields[2].hasPrefix("*")
        dayOfWeekRestricted = !fields[4].hasPrefix("*")
    }

    static func field(_ text: String, name: String, range: ClosedRange<Int>, names: [String], firstNameValue: Int = 0) throws(ParseError) -> Set<Int> {
        var values: Set<Int> = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2 else { throw ParseError(description: "\(name) '\(part)': more than one '/'") }
            var step = 1
            if pieces.count == 2 {
                guard let parsed = Int(pieces[1]), parsed > 0 else {
                    throw ParseError(description: "\(name) '\(part)': the step after '/' must be a positive number")
                }
                step = parsed
            }
            let span: ClosedRange<Int>
            if pieces[0] == "*" {
                span = range
            } else {
                let bounds = pieces[0].split(separator: "-", omittingEmptySubsequences: false)
                guard bounds.count <= 2 else { throw ParseError(description: "\(name) '\(part)': a range has one '-'") }
                let low = try value(bounds[0], name: name, range: range, names: names, firstNameValue: firstNameValue)
                let high = bounds.count == 2 ? try value(bounds[1], name: name, range: range, names: names, firstNameValue: firstNameValue) : (pieces.count == 2 ? range.upperBound : low)
                guard low <= high else { throw ParseError(description: "\(name) '\(part)': the range runs backwards") }
                span = low...high
            }
            values.formUnion(stride(from: span.lowerBound, through: span.upperBound, by: step))
        }
        return values
    }

    static func value(_ text: Substring, name: String, range: ClosedRange<Int>, names: [String], firstNameValue: Int) throws(ParseError) -> Int {
        if let index = names.firstIndex(of: String(text)) { return index + firstNameValue }
        guard let number = Int(text), range.contains(number) else {
            let allowed = names.isEmpty ? "" : " or a name (\(names.first!)…\(names.last!))"
            throw ParseError(description: "\(name) '\(text)' is not in \(range.lowerBound)-\(range.upperBound)\(allowed)")
        }
        return number
    }

    /// Whether the minute starting at `unixSeconds` (UTC) matches.
    public func matches(_ unixSeconds: Int64) -> Bool {
        let time = UTCDateTime(unixSeconds: unixSeconds)
        return minutes.contains(Int(time.minute)) && hours.contains(Int(time.hour)) && months.contains(Int(time.month))
            && dayMatches(unixSeconds)
    }

    /// The first matching minute strictly after `unixSeconds`, or nil if none within five years (e.g. 30 Feb).
    public func next(after unixSeconds: Int64) -> Int64? {
        var candidate = (unixSeconds / 60 + 1) * 60
        let limit = unixSeconds + 5 * 366 * 86400
        while candidate <= limit {
            let time = UTCDateTime(unixSeconds: candidate)
            if !months.contains(Int(time.month)) || !dayMatches(candidate) {
                candidate = (candidate / 86400 + 1) * 86400  // next day, 00:00
            } else if !hours.contains(Int(time.hour)) {
                candidate = (candidate / 3600 + 1) * 3600  // next hour
            } else if !minutes.contains(Int(time.minute)) {
                candidate += 60
            } else {
                return candidate
            }
        }
        return nil
    }

    /// Day-of-month and day-of-week together; either suffices when both are restricted (Vixie cron's rule,
    /// where a field starting with `*` counts as unrestricted).
    private func dayMatches(_ unixSeconds: Int64) -> Bool {
        let dayOfMonth = daysOfMonth.contains(Int(UTCDateTime(unixSeconds: unixSeconds).day))
        let dayOfWeek = daysOfWeek.contains(Int((unixSeconds / 86400 + 4) % 7))  // 1970-01-01 was a Thursday (4)
        if dayOfMonthRestricted && dayOfWeekRestricted { return dayOfMonth || dayOfWeek }
        return dayOfMonth && dayOfWeek
    }
}

extension CronSchedule.ParseError: CodedError {
    public var code: String { "config" }
}
