/// Why a Fernet key or token was refused. Messages describe the token's shape, never its content.
public struct FernetError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: String, Sendable {
        case invalidKey = "invalid_key"
        case malformed = "malformed"
        case unsupportedVersion = "unsupported_version"
        case badSignature = "bad_signature"
        case expired = "expired"
        case fromTheFuture = "from_the_future"
        case badPadding = "bad_padding"
    }

    public let reason: Reason
    public let description: String

    public static let invalidKey = FernetError(reason: .invalidKey, description: "a Fernet key must be 32 bytes in URL-safe base64 (44 characters)")
    public static let notBase64 = FernetError(reason: .malformed, description: "the token is not URL-safe base64")
    public static func wrongLength(_ count: Int) -> FernetError {
        FernetError(reason: .malformed, description: "the token is \(count) bytes; a Fernet token is 73 + 16·n bytes")
    }
    public static let unsupportedVersion = FernetError(reason: .unsupportedVersion, description: "the token's version byte is not 0x80")
    public static let badSignature = FernetError(reason: .badSignature, description: "the token's HMAC does not match: wrong key or altered token")
    public static let expired = FernetError(reason: .expired, description: "the token is older than its time-to-live")
    public static let fromTheFuture = FernetError(reason: .fromTheFuture, description: "the token's timestamp is more than 60 s in the future")
    public static let badPadding = FernetError(reason: .badPadding, description: "the token's plaintext padding is invalid")
}
