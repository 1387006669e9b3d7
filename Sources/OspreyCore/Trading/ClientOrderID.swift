/// Client order ids: `osp<tag>-<sequence in base 36>`, e.g. `ospk3x9q2-1a`. The tag is random, made once
/// per ledger, so a rebuilt database can never reuse an id the exchange has seen; the sequence is the
/// intent's ledger id, so an id is never used for two intents. Binance allows `[.A-Z:/a-z0-9_-]{1,36}`.
public struct ClientOrderID: Sendable, Equatable {
    public let tag: String

    /// `tag`: 1–20 lowercase letters and digits.
    public init?(tag: String) {
        guard (1...20).contains(tag.utf8.count),
              tag.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) }) else { return nil }
        self.tag = tag
    }

    /// Every id of this ledger starts with it: exchange orders carrying it belong to Osprey.
    public var prefix: String { "osp\(tag)-" }

    public func make(_ sequence: Int64) -> String {
        precondition(sequence > 0, "ledger ids start at 1")
        return prefix + String(sequence, radix: 36)
    }

    /// The ledger sequence of one of this ledger's ids, or nil for anyone else's.
    public func sequence(of clientOrderId: String) -> Int64? {
        guard clientOrderId.hasPrefix(prefix) else { return nil }
        return Int64(clientOrderId.dropFirst(prefix.count), radix: 36).flatMap { $0 > 0 ? $0 : nil }
    }
}
