/// Validation of TOML's RFC 3339 date-times, local date-times, local dates and local times.
enum TOMLDateTime {
    static func looksLikeDateTime(_ token: String) -> Bool {
        let bytes = Array(token.utf8)
        func digit(_ i: Int) -> Bool { i < bytes.count && bytes[i] >= 48 && bytes[i] <= 57 }
        let dateStart = digit(0) && digit(1) && digit(2) && digit(3) && bytes.count > 4 && bytes[4] == UInt8(ascii: "-")
        let timeStart = digit(0) && digit(1) && bytes.count > 2 && bytes[2] == UInt8(ascii: ":")
        return dateStart || timeStart
    }

    static func isValid(_ token: String) -> Bool {
        let text = Substring(token)
        if let separator = text.firstIndex(where: { $0 == "T" || $0 == "t" || $0 == " " }) {
            return isDate(text[..<separator]) && isTimeWithOptionalOffset(text[text.index(after: separator)...])
        }
        return isDate(text) || isTime(text)
    }

    private static func number(_ text: Substring, digits: Int) -> Int? {
        guard text.count == digits, text.allSatisfy(\.isASCIIDigit) else { return nil }
        return Int(text)
    }

    private static func isDate(_ text: Substring) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, let year = number(parts[0], digits: 4), let month = number(parts[1], digits: 2),
            let day = number(parts[2], digits: 2), (1...12).contains(month)
        else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...days).contains(day)
    }

    private static func isTime(_ text: Substring) -> Bool {
        var clock = text
        if let dot = text.firstIndex(of: ".") {
            let fraction = text[text.index(after: dot)...]
            guard !fraction.isEmpty, fraction.allSatisfy(\.isASCIIDigit) else { return false }
            clock = text[..<dot]
        }
        let parts = clock.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let hour = number(parts[0], digits: 2), let minute = number(parts[1], digits: 2),
            let second = number(parts[2], digits: 2)
        else { return false }
        return hour < 24 && minute < 60 && second <= 60
    }

    private static func isTimeWithOptionalOffset(_ text: Substring) -> Bool {
        if text.last == "Z" || text.last == "z" { return isTime(text.dropLast()) }
        if let sign = text.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let offset = text[text.index(after: sign)...].split(separator: ":", omittingEmptySubsequences: false)
            guard offset.count == 2, let hours = number(offset[0], digits: 2), let minutes = number(offset[1], digits: 2),
                hours < 24, minutes < 60
            else { return false }
            return isTime(text[..<sign])
        }
        return isTime(text)
    }
}

extension Character {
    /// `0`–`9` only; `isNumber` would also accept other scripts' digits and fractions.
    var isASCIIDigit: Bool { ("0"..."9").contains(self) && isASCII }
}
