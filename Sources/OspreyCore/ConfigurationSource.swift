/// A validated configuration and the files it came from, in the order they were applied.
public struct LoadedConfiguration: Sendable {
    public let configuration: DaemonConfiguration
    public let files: [String]

    public init(configuration: DaemonConfiguration, files: [String]) {
        self.configuration = configuration
        self.files = files
    }
}

/// Where configuration comes from: the config adapter reads files; tests supply values.
/// Loading never applies anything; it only builds and validates.
public protocol ConfigurationSource: Sendable {
    func load() -> Result<LoadedConfiguration, ConfigurationErrors>
}
