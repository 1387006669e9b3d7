/// Base64 with the URL-safe alphabet (RFC 4648 §5), as Fernet keys and tokens use it.
/// Decoding computes each value arithmetically instead of looking it up in a table, so decoding a key does
/// not leak its characters through cache timing.
public enum Base64URL {
    public static func encode(_ bytes: [UInt8], padded: Bool = true) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= bytes.count {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            out += [symbol(n >> 18), symbol(n >> 12), symbol(n >> 6), symbol(n)]
            index += 3
        }
        let rest = bytes.count - index
        if rest == 1 {
            let n = UInt32(bytes[index]) << 16
            out += [symbol(n >> 18), symbol(n >> 12)]
            if padded { out += [61, 61] }
        } else if rest == 2 {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            out += [symbol(n >> 18), symbol(n >> 12), symbol(n >> 6)]
            if padded { out += [61] }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes with or without `=` padding; nil for any other character, a misplaced `=`, or bits left over.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        var symbols = Array(text.utf8)
        if symbols.count % 4 == 0 {
            while symbols.last == 61 && symbols.count % 4 != 1 { symbols.removeLast() }
        }
        guard symbols.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(symbols.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        var invalid: UInt32 = 0
        for symbol in symbols {
            let (value, bad) = Self.value(symbol)
            invalid |= bad
            accumulator = accumulator << 6 | value
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        // Leftover bits must be zero (canonical encoding), as Python's decoder also requires for Fernet keys.
        invalid |= accumulator & ((1 << UInt32(bits)) - 1)
        return invalid == 0 ? out : nil
    }

    private static func symbol(_ sextet: UInt32) -> UInt8 {
        let v = Int32(sextet & 63)
        // Branch-free: pick the range by masks. A–Z 0–25, a–z 26–51, 0–9 52–61, '-' 62, '_' 63.
        var c = v + 65
        c += ((25 - v) >> 8) & 6
        c -= ((51 - v) >> 8) & 75
        c -= ((61 - v) >> 8) & 13  // 62 → '-' (45)
        c += ((62 - v) >> 8) & 49  // 63 → '_' (95)
        return UInt8(truncatingIfNeeded: c)
    }

    /// The 6-bit value of a symbol, and a non-zero flag if it is not in the alphabet; no branches, no table.
    private static func value(_ symbol: UInt8) -> (UInt32, UInt32) {
        let c = Int32(symbol)
        func inRange(_ low: Int32, _ high: Int32) -> Int32 { ((low - 1 - c) & (c - high - 1)) >> 31 }  // -1 if in range
        let upper = inRange(65, 90), lower = inRange(97, 122), digit = inRange(48, 57)
        let dash = inRange(45, 45), underscore = inRange(95, 95)
        let value = (upper & (c - 65)) | (lower & (c - 71)) | (digit & (c + 4)) | (dash & 62) | (underscore & 63)
        let valid = upper | lower | digit | dash | underscore
        return (UInt32(truncatingIfNeeded: value), UInt32(truncatingIfNeeded: ~valid) & 1)
    }
}
