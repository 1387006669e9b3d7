/// Which build is running; exported as `osprey_build_info` and shown by `osprey --version`.
public struct BuildInfo: Sendable, Equatable {
    public let version: String
    public let revision: String
    public let swiftVersion: String

    public init(version: String, revision: String, swiftVersion: String) {
        self.version = version
        self.revision = revision
        self.swiftVersion = swiftVersion
    }
}
