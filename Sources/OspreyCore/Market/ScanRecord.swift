/// What one scan persists. The updated tokens are read in place from the tracked set as it stands after
/// the scan; the set is shared, not copied (an array is copy-on-write), so saving 10,000 tokens copies none.
public struct ScanRecord: Sendable {
    /// The tracked set after the scan (`TokenTracker.tokens`).
    public var tracked: [TrackedToken]
    /// Positions in `tracked` of the tokens the scan updated, in the batch's order: each gets a history row.
    public var updated: [Int]
    public var evicted: [TokenKey]
    public var signals: [Signal]
    /// History older than this (Unix seconds) is dropped.
    public var historyBefore: Double

    public init(tracked: [TrackedToken], updated: [Int], evicted: [TokenKey] = [], signals: [Signal] = [], historyBefore: Double) {
        self.tracked = tracked
        self.updated = updated
        self.evicted = evicted
        self.signals = signals
        self.historyBefore = historyBefore
    }

    /// A record of `tokens` updated.
    public init(tokens: [TrackedToken], evicted: [TokenKey] = [], signals: [Signal] = [], historyBefore: Double = 0) {
        self.init(tracked: tokens, updated: Array(tokens.indices), evicted: evicted, signals: signals, historyBefore: historyBefore)
    }
}
