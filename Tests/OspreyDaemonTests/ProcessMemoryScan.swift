import Foundation

/// Counts the places `needle` occurs in the writable memory of process `pid` (heap, anonymous mappings,
/// stacks), read through /proc/PID/mem as a debugger would (the test is the daemon's parent).
func occurrences(of needle: String, inMemoryOf pid: Int32) throws -> Int {
    let pattern = Array(needle.utf8)
    let maps = try String(contentsOfFile: "/proc/\(pid)/maps", encoding: .utf8)
    let memory = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/\(pid)/mem"))
    defer { try? memory.close() }
    var found = 0
    for line in maps.split(separator: "\n") {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 2, fields[1].hasPrefix("rw") else { continue }
        let range = fields[0].split(separator: "-").compactMap { UInt64($0, radix: 16) }
        guard range.count == 2 else { continue }
        do {
            try memory.seek(toOffset: range[0])
            guard let bytes = try memory.read(upToCount: Int(range[1] - range[0])) else { continue }
            found += bytes.withUnsafeBytes { count(pattern, in: $0) }
        } catch {
            continue  // a region that went away, or that the kernel will not show
        }
    }
    return found
}

private func count(_ pattern: [UInt8], in haystack: UnsafeRawBufferPointer) -> Int {
    guard let first = pattern.first, haystack.count >= pattern.count else { return 0 }
    var found = 0
    var index = 0
    let last = haystack.count - pattern.count
    while index <= last {
        if haystack[index] == first, pattern.indices.allSatisfy({ haystack[index + $0] == pattern[$0] }) {
            found += 1
            index += pattern.count
        } else {
            index += 1
        }
    }
    return found
}
