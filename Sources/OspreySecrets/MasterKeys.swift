import OspreyCrypto

/// The master key(s) from one source, ready to encrypt (with the first) and decrypt (with any).
public struct MasterKeys: Sendable {
    public let fernet: Fernet
    /// Where they came from, for messages (a path; never the key).
    public let source: String

    /// Parses key lines as read from a key file. A malformed line is named by its number only.
    public init(lines: [String], source: String) throws(KeyVaultError) {
        var keys: [FernetKey] = []
        for (index, line) in lines.enumerated() {
            do {
                keys.append(try FernetKey(base64: line))
            } catch {
                throw .noMasterKey("key \(index + 1) in \(source) is not a Fernet key (32 bytes of URL-safe base64)")
            }
        }
        guard !keys.isEmpty else { throw .noMasterKey("\(source) holds no key") }
        fernet = Fernet(keys: keys)
        self.source = source
    }

    /// A new random key as a key-file line.
    public static func generateLine() throws -> String {
        try FernetKey.generate().text
    }
}
