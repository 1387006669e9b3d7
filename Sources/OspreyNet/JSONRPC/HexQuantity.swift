import OspreyCore

/// Hex quantities of Ethereum JSON-RPC ("0x1bc16d674ec80000") as exact decimals.
public enum HexQuantity {
    public static func parse(_ text: String) -> UInt128? {
        guard text.hasPrefix("0x"), text.count > 2, text.count <= 34 else { return nil }
        return JSONParser.hex(text.utf8.dropFirst(2), as: UInt128.self)
    }

    /// A quantity in the smallest unit (wei, lamports) as the unit `10^decimals` times larger.
    public static func scaled(_ value: UInt128, decimals: Int) -> Decimal? {
        guard value <= UInt128(Int128.max) else { return nil }
        return Decimal(significand: Int128(value), scale: decimals).normalized
    }
}
