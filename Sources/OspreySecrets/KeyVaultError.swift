import OspreyCore
/// Why a key operation failed. Names keys, files and exchanges; never key material.
public struct KeyVaultError: Error, Sendable, CustomStringConvertible {
    public let description: String
    /// A bounded reason for metrics and readiness: `no_master_key`, `cannot_decrypt`, `invalid`, `unknown_key`.
    public let reason: String

    public static func noMasterKey(_ detail: String) -> KeyVaultError {
        KeyVaultError(description: "no usable master key: \(detail)", reason: "no_master_key")
    }

    static func cannotDecrypt(_ name: String, _ why: String) -> KeyVaultError {
        KeyVaultError(description: "the key \(name) cannot be decrypted: \(why)", reason: "cannot_decrypt")
    }

    static func invalid(_ message: String) -> KeyVaultError {
        KeyVaultError(description: message, reason: "invalid")
    }

    static func unknownKey(_ name: String) -> KeyVaultError {
        KeyVaultError(description: "there is no key named \(name); `osprey keys list` shows the stored keys", reason: "unknown_key")
    }
}

extension KeyVaultError: CodedError {
    public var code: String { reason }
}
