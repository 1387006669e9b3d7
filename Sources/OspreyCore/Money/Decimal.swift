/// An exact decimal number for prices, quantities, volumes and balances: `significand × 10^-scale`, with a
/// 128-bit significand (38 digits). Parsed from and rendered to the plain strings exchanges and DEX APIs use
/// ("0.00001234", "-12.5", "1e-8"); never a binary float. Arithmetic is exact; division and rounding say
/// how they round.
public struct Decimal: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    // Stored as two 64-bit words and a byte: 24 bytes with 8-byte alignment, where an `Int128` and an `Int`
    // took 32 with 16-byte alignment. A snapshot holds a dozen decimals and the tracked set tens of
    // thousands of snapshots and history points.
    private var low: UInt64
    private var high: Int64
    private var digitsAfterPoint: UInt8

    public private(set) var significand: Int128 {
        get { Int128(high) << 64 | Int128(low) }
        set { (low, high) = (UInt64(truncatingIfNeeded: newValue), Int64(truncatingIfNeeded: newValue >> 64)) }
    }

    /// Digits after the point, 0...38.
    public private(set) var scale: Int {
        get { Int(digitsAfterPoint) }
        set { digitsAfterPoint = UInt8(newValue) }
    }

    public static let zero = Decimal(significand: 0, scale: 0)
    public static let maxScale = 38

    public init(significand: Int128, scale: Int) {
        precondition((0...Self.maxScale).contains(scale), "a decimal has 0 to 38 digits after the point")
        (low, high) = (UInt64(truncatingIfNeeded: significand), Int64(truncatingIfNeeded: significand >> 64))
        digitsAfterPoint = UInt8(scale)
    }

    public init(_ integer: Int) {
        self.init(significand: Int128(integer), scale: 0)
    }

    /// Parses `[-+]digits[.digits][e[-+]digits]`; nil for anything else (including "NaN", "", "1,5"), or when
    /// the value needs more than 38 significant digits or 38 decimals.
    public init?(_ text: some StringProtocol) {
        self.init(utf8: Substring(text).utf8)
    }

    /// The same grammar, from a buffer of UTF-8 bytes (a JSON number's text on the parser's tape). Concrete, so
    /// it is compiled, specialized, in this module: a caller in another module would otherwise run the generic
    /// version below through witness tables (JSON decoding was eight times slower that way).
    public init?(utf8 buffer: UnsafeBufferPointer<UInt8>) {
        self.init(digits: buffer)
    }

    /// The same grammar, from any UTF-8 bytes.
    public init?<Bytes: Collection<UInt8>>(utf8: Bytes) {
        self.init(digits: utf8)
    }

    init?<Bytes: Collection<UInt8>>(digits utf8: Bytes) {
        var bytes = utf8[...]
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var significand: Int128 = 0
        var fast: UInt64 = 0  // the first 18 digits, in 64-bit arithmetic
        var scale = 0
        var digits = 0
        var seenPoint = false
        var exponent = 0
        while let byte = bytes.first {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                if digits < 18 {
                    fast = fast &* 10 &+ UInt64(byte - UInt8(ascii: "0"))
                    if digits == 17 { significand = Int128(fast) }
                } else {
                    let (shifted, overflow) = significand.multipliedReportingOverflow(by: 10)
                    guard !overflow else { return nil }
                    significand = shifted + Int128(byte - UInt8(ascii: "0"))
                }
                digits += 1
                if seenPoint { scale += 1 }
            } else if byte == UInt8(ascii: "."), !seenPoint {
                seenPoint = true
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                guard digits > 0, let value = Int(String(decoding: bytes.dropFirst(), as: UTF8.self)), abs(value) <= 76 else { return nil }
                exponent = value
                bytes = bytes[bytes.endIndex...]
                break
            } else {
                return nil
            }
            bytes = bytes.dropFirst()
        }
        guard digits > 0 else { return nil }
        if digits < 18 { significand = Int128(fast) }
        scale -= exponent
        while scale < 0 {
            let (shifted, overflow) = significand.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            significand = shifted
            scale += 1
        }
        if negative { significand = -significand }
        while scale > Self.maxScale {  // more than 38 decimals: the excess digits are dropped toward zero
            significand /= 10
            scale -= 1
        }
        self = Decimal(significand: significand, scale: scale).normalized
    }

    /// Plain notation, no exponent, no trailing zeros: "0.00001234", "-12.5", "100".
    public var description: String {
        String(unsafeUninitializedCapacity: Self.maxTextLength) { render(into: $0) }
    }

    /// The text of `description`, without making a String (binding a price into SQLite).
    public func withUTF8<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.maxTextLength) { buffer in
            try body(UnsafeBufferPointer(rebasing: buffer[..<render(into: buffer)]))
        }
    }

    /// A sign, up to 39 digits, up to 38 leading zeros and a point.
    static let maxTextLength = 80

    /// Writes the plain text ("-0.00123", "42") right to left from the end of the digits; returns its length.
    private func render(into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var magnitude = significand.magnitude
        // 64-bit division once it fits (nearly always): 128-bit division is done in software.
        var digits = 1
        var wide = magnitude
        while wide > UInt128(UInt64.max) {
            digits += 1
            wide /= 10
        }
        var probe = UInt64(wide) / 10
        while probe > 0 {
            digits += 1
            probe /= 10
        }
        let leadingZeros = scale >= digits ? scale - digits + 1 : 0
        let length = (significand < 0 ? 1 : 0) + leadingZeros + digits + (scale > 0 ? 1 : 0)
        var position = length
        var written = 0  // digits written, from the right
        func digit(_ value: UInt8) {
            if scale > 0 && written == scale {
                position -= 1
                buffer[position] = UInt8(ascii: ".")
            }
            position -= 1
            buffer[position] = 0x30 + value
            written += 1
        }
        while magnitude > UInt128(UInt64.max) {
            digit(UInt8(magnitude % 10))
            magnitude /= 10
        }
        var small = UInt64(magnitude)
        repeat {
            digit(UInt8(small % 10))
            small /= 10
        } while small > 0
        for _ in 0..<leadingZeros { digit(0) }
        if significand < 0 { buffer[0] = UInt8(ascii: "-") }
        return length
    }

    public var isZero: Bool { significand == 0 }
    public var isNegative: Bool { significand < 0 }

    /// Trailing zeros removed, so equal values compare and hash equal.
    public var normalized: Decimal {
        guard scale > 0 else { return self }
        if let small = Int64(exactly: significand) {  // 64-bit division when it fits
            var (value, scale) = (small, scale)
            while scale > 0 && value % 10 == 0 {
                value /= 10
                scale -= 1
            }
            return Decimal(significand: Int128(value), scale: scale)
        }
        var copy = self
        while copy.scale > 0 && copy.significand % 10 == 0 {
            copy.significand /= 10
            copy.scale -= 1
        }
        return copy
    }

    public static func == (lhs: Decimal, rhs: Decimal) -> Bool {
        let (a, b) = (lhs.normalized, rhs.normalized)
        return a.significand == b.significand && a.scale == b.scale
    }

    public func hash(into hasher: inout Hasher) {
        let canonical = normalized
        hasher.combine(canonical.significand)
        hasher.combine(canonical.scale)
    }

    /// Integer part and fraction (in units of 10^-38) compared in turn: exact at any two scales, no overflow.
    public static func < (lhs: Decimal, rhs: Decimal) -> Bool {
        if lhs.scale == rhs.scale { return lhs.significand < rhs.significand }
        if let (a, b) = aligned(lhs, rhs) { return a < b }
        return lhs.parts < rhs.parts
    }

    private var parts: (Int128, Int128) {
        let unit = Self.powersOfTen[scale]
        return (significand / unit, (significand % unit) * Self.powersOfTen[Self.maxScale - scale])
    }

    static let powersOfTen: [Int128] = (0...maxScale).map { power in (0..<power).reduce(Int128(1)) { value, _ in value * 10 } }

    // Codable as its string, the way exchanges send it.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Decimal(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\"\(text)\" is not a decimal number"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// Both significands at the larger scale, and that scale; nil if that overflows.
    static func aligned(_ lhs: Decimal, _ rhs: Decimal) -> (Int128, Int128)? {
        let scale = max(lhs.scale, rhs.scale)
        guard let a = lhs.raised(to: scale), let b = rhs.raised(to: scale) else { return nil }
        return (a, b)
    }

    /// The significand at a larger scale (exact), nil on overflow.
    func raised(to newScale: Int) -> Int128? {
        let (value, overflow) = significand.multipliedReportingOverflow(by: Self.powersOfTen[newScale - scale])
        return overflow ? nil : value
    }
}
