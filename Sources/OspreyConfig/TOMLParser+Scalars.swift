import OspreyCore

extension TOMLParser {
    /// Booleans, numbers, special floats and date-times: everything that is not a string or a container.
    mutating func parseScalar(at start: SourceLocation) throws(ConfigurationProblem) -> TOMLValue {
        let begin = index
        while let byte = peek(), isScalarByte(byte) { index += 1 }
        // A date followed by a space and a time is one date-time ("1979-05-27 07:32:00Z").
        if index - begin == 10, peek() == UInt8(ascii: " "), let next = peek(1), isDigit(next), peek(3) == UInt8(ascii: ":") {
            index += 1
            while let byte = peek(), isScalarByte(byte) { index += 1 }
        }
        let token = String(decoding: bytes[begin..<index], as: UTF8.self)
        guard !token.isEmpty else {
            throw problem("expected a value (string, number, boolean, date-time, array or inline table), found \(describeCurrent())")
        }
        if token == "true" { return TOMLValue(.boolean(true), at: start) }
        if token == "false" { return TOMLValue(.boolean(false), at: start) }
        if let special = Self.specialFloats[token] { return TOMLValue(.float(special), at: start) }
        if TOMLDateTime.looksLikeDateTime(token) {
            guard TOMLDateTime.isValid(token) else {
                throw problem("'\(token)' is not a valid RFC 3339 date-time, date or time", at: begin)
            }
            return TOMLValue(.datetime(token), at: start)
        }
        let plain = token.filter { $0 != "_" }
        if let integer = Self.integer(token) { return TOMLValue(.integer(integer), at: start, numberText: plain) }
        if let float = Self.float(token) { return TOMLValue(.float(float), at: start, numberText: plain) }
        if Self.integerShape(token) {
            let digits = token.drop { $0 == "+" || $0 == "-" }
            if digits.count > 1 && digits.hasPrefix("0") {
                throw problem("'\(token)' is not a valid value: integers cannot have leading zeros", at: begin)
            }
            throw problem("the integer '\(token)' does not fit in 64 bits", at: begin)
        }
        throw problem("'\(token)' is not a valid value; strings must be quoted", at: begin)
    }

    func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    func isScalarByte(_ byte: UInt8) -> Bool {
        isBareKeyByte(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":")
    }

    static let specialFloats: [String: Double] = [
        "inf": .infinity, "+inf": .infinity, "-inf": -.infinity,
        "nan": .nan, "+nan": .nan, "-nan": .nan,
    ]

    /// Digits with single underscores between them, as TOML numbers allow.
    static func digitsWithUnderscores(_ text: Substring, isDigit: (Character) -> Bool) -> String? {
        guard let first = text.first, let last = text.last, isDigit(first), isDigit(last) else { return nil }
        var out = ""
        var previousUnderscore = false
        for character in text {
            if character == "_" {
                if previousUnderscore { return nil }
                previousUnderscore = true
            } else {
                guard isDigit(character) else { return nil }
                previousUnderscore = false
                out.append(character)
            }
        }
        return out
    }

    static func integerShape(_ token: String) -> Bool {
        var body = Substring(token)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        return digitsWithUnderscores(body, isDigit: \.isASCIIDigit) != nil
    }

    static func integer(_ token: String) -> Int64? {
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where token.hasPrefix(prefix) {
            let digits = digitsWithUnderscores(token.dropFirst(2)) { $0.isHexDigit && Int(String($0), radix: radix) != nil }
            return digits.flatMap { Int64($0, radix: radix) }
        }
        var body = Substring(token)
        let negative = body.first == "-"
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        guard let digits = digitsWithUnderscores(body, isDigit: \.isASCIIDigit) else { return nil }
        if digits.count > 1 && digits.hasPrefix("0") { return nil }  // no leading zeros
        return Int64((negative ? "-" : "") + digits)
    }

    static func float(_ token: String) -> Double? {
        var body = Substring(token)
        var sign = ""
        if body.first == "+" || body.first == "-" {
            sign = String(body.first!)
            body = body.dropFirst()
        }
        let exponentSplit = body.split(separator: "e", maxSplits: 1, omittingEmptySubsequences: false)
            .flatMap { $0.split(separator: "E", maxSplits: 1, omittingEmptySubsequences: false) }
        guard exponentSplit.count <= 2 else { return nil }
        let mantissa = exponentSplit[0]
        let fractionSplit = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let integerPart = digitsWithUnderscores(fractionSplit[0], isDigit: \.isASCIIDigit),
            !(integerPart.count > 1 && integerPart.hasPrefix("0"))
        else { return nil }
        var text = sign + integerPart
        if fractionSplit.count == 2 {
            guard let fraction = digitsWithUnderscores(fractionSplit[1], isDigit: \.isASCIIDigit) else { return nil }
            text += "." + fraction
        }
        if exponentSplit.count == 2 {
            var exponent = exponentSplit[1]
            var exponentSign = ""
            if exponent.first == "+" || exponent.first == "-" {
                exponentSign = String(exponent.first!)
                exponent = exponent.dropFirst()
            }
            guard let digits = digitsWithUnderscores(exponent, isDigit: \.isASCIIDigit) else { return nil }
            text += "e" + exponentSign + digits
        }
        guard fractionSplit.count == 2 || exponentSplit.count == 2 else { return nil }
        return Double(text)
    }
}
