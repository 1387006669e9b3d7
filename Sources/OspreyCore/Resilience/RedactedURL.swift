/// A URL as logs, metric labels and error text may show it: scheme, host, port and path, never the
/// userinfo or query string where providers put API keys (`https://key@rpc…`, `?api-key=…`), and never a
/// path segment that looks like a key (`/v2/<32+ hex or base58 characters>`, as Alchemy and Infura use).
public enum RedactedURL {
    public static func display(_ url: String) -> String {
        var rest = Substring(url)
        var scheme = ""
        if let range = rest.firstRange(of: "://") {
            scheme = String(rest[..<range.upperBound])
            rest = rest[range.upperBound...]
        }
        if let end = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<slash]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        let path = rest[slash...].split(separator: "/", omittingEmptySubsequences: false)
            .map { looksLikeKey($0) ? "<redacted>" : String($0) }
            .joined(separator: "/")
        return scheme + authority + path
    }

    /// The host (and port) alone: a bounded label for an RPC provider.
    public static func host(_ url: String) -> String {
        let shown = display(url)
        let afterScheme = shown.firstRange(of: "://").map { shown[$0.upperBound...] } ?? Substring(shown)
        return String(afterScheme.prefix { $0 != "/" })
    }

    static func looksLikeKey(_ segment: Substring) -> Bool {
        segment.count >= 24 && segment.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
            && segment.contains(where: \.isNumber)
    }
}
