/// A bounded cache for idempotent GET answers: entries expire after their TTL, and when the cache is full
/// the least recently used entry goes. O(1) get and set (a dictionary over an index-linked list).
public struct ExpiringCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Node: Sendable {
        var key: Key
        var value: Value
        var expires: Double
        var newer: Int?
        var older: Int?
    }

    public let capacity: Int
    private var nodes: [Node] = []
    private var index: [Key: Int] = [:]
    private var free: [Int] = []
    private var newest: Int?
    private var oldest: Int?

    public init(capacity: Int) {
        precondition(capacity > 0, "a cache holds at least one entry")
        self.capacity = capacity
    }

    public var count: Int { index.count }

    /// The value if present and not expired at `now` (Unix seconds); a hit makes it the most recent.
    public mutating func get(_ key: Key, now: Double) -> Value? {
        guard let slot = index[key] else { return nil }
        guard nodes[slot].expires > now else {
            remove(slot)
            return nil
        }
        unlink(slot)
        pushNewest(slot)
        return nodes[slot].value
    }

    public mutating func set(_ key: Key, _ value: Value, ttl: Double, now: Double) {
        if let slot = index[key] {
            nodes[slot].value = value
            nodes[slot].expires = now + ttl
            unlink(slot)
            pushNewest(slot)
            return
        }
        if index.count >= capacity, let victim = oldest { remove(victim) }
        let node = Node(key: key, value: value, expires: now + ttl)
        let slot: Int
        if let reused = free.popLast() {
            nodes[reused] = node
            slot = reused
        } else {
            nodes.append(node)
            slot = nodes.count - 1
        }
        index[key] = slot
        pushNewest(slot)
    }

    private mutating func remove(_ slot: Int) {
        unlink(slot)
        index[nodes[slot].key] = nil
        free.append(slot)
    }

    private mutating func unlink(_ slot: Int) {
        let (newer, older) = (nodes[slot].newer, nodes[slot].older)
        if let newer { nodes[newer].older = older } else { newest = older }
        if let older { nodes[older].newer = newer } else { oldest = newer }
        nodes[slot].newer = nil
        nodes[slot].older = nil
    }

    private mutating func pushNewest(_ slot: Int) {
        nodes[slot].older = newest
        nodes[slot].newer = nil
        if let newest { nodes[newest].newer = slot }
        newest = slot
        if oldest == nil { oldest = slot }
    }
}
