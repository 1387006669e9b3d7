/// What one scan persists. The updated tokens are read from the tracked set as it stands after the scan;
/// the set is shared, not copied (a dictionary is copy-on-write), so saving 10,000 tokens copies none.
public struct ScanRecord: Sendable {
    /// The tracked set after the scan.
    public var tracked: [TokenKey: TrackedToken]
    /// The tokens the scan updated, in the batch's order: each gets a history row.
    public var updated: [TokenKey]
    public var evicted: [TokenKey]
    public var signals: [Signal]
    /// History older than this (Unix seconds) is dropped.
    public var historyBefore: Double

    public init(tracked: [TokenKey: TrackedToken], updated: [TokenKey], evicted: [TokenKey] = [], signals: [Signal] = [], historyBefore: Double) {
        self.tracked = tracked
        self.updated = updated
        self.evicted = evicted
        self.signals = signals
        self.historyBefore = historyBefore
    }

    /// A record of `tokens` updated (later ones win for the same key).
    public init(tokens: [TrackedToken], evicted: [TokenKey] = [], signals: [Signal] = [], historyBefore: Double = 0) {
        let tracked = Dictionary(tokens.map { ($0.key, $0) }, uniquingKeysWith: { _, later in later })
        var seen = Set<TokenKey>()
        self.init(tracked: tracked, updated: tokens.map(\.key).filter { seen.insert($0).inserted }, evicted: evicted, signals: signals,
                  historyBefore: historyBefore)
    }
}
