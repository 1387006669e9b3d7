/// Key types print as "redacted" everywhere: string interpolation, debug descriptions and reflection
/// (which is what test failures and `dump` use), so a key in a log line or an error shows nothing.
extension FernetKey: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "FernetKey(redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

extension AES: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "AES(redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

extension Fernet: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "Fernet(\(keys.count) key\(keys.count == 1 ? "" : "s"), redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
