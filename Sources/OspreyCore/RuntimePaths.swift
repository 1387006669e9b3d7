/// Where the daemon keeps its database and control socket, derived from the configuration and the
/// environment systemd gives the service (`StateDirectory=` → `$STATE_DIRECTORY`, `RuntimeDirectory=` →
/// `$RUNTIME_DIRECTORY`). The CLI uses the same rules, plus the packaged default socket, to find the daemon.
public struct RuntimePaths: Sendable, Equatable {
    public static let packagedStateDirectory = "/var/lib/osprey"
    public static let packagedSocket = "/run/osprey/control.sock"

    public let stateDirectory: String
    public let controlSocket: String

    public init(stateDirectory: String, controlSocket: String) {
        self.stateDirectory = stateDirectory
        self.controlSocket = controlSocket
    }

    /// The daemon's paths.
    public static func forDaemon(
        _ configuration: DaemonConfiguration, environment: [String: String], isRoot: Bool, workingDirectory: String
    ) -> RuntimePaths {
        let state = stateDirectory(configuration, environment: environment, isRoot: isRoot, workingDirectory: workingDirectory)
        if !configuration.control.socket.isEmpty {
            return RuntimePaths(stateDirectory: state, controlSocket: configuration.control.socket)
        }
        if let runtime = firstPath(environment["RUNTIME_DIRECTORY"]) {
            return RuntimePaths(stateDirectory: state, controlSocket: runtime + "/control.sock")
        }
        return RuntimePaths(stateDirectory: state, controlSocket: state + "/control.sock")
    }

    /// The socket the CLI talks to: the configured one, else the daemon's rule, except that a shell has no
    /// `$RUNTIME_DIRECTORY`, so the packaged `/run/osprey/control.sock` is used when it exists.
    public static func socketForClient(
        _ configuration: DaemonConfiguration, environment: [String: String], isRoot: Bool, workingDirectory: String,
        exists: (String) -> Bool
    ) -> String {
        if configuration.control.socket.isEmpty && environment["RUNTIME_DIRECTORY"] == nil && exists(packagedSocket) {
            return packagedSocket
        }
        return forDaemon(configuration, environment: environment, isRoot: isRoot, workingDirectory: workingDirectory).controlSocket
    }

    static func stateDirectory(
        _ configuration: DaemonConfiguration, environment: [String: String], isRoot: Bool, workingDirectory: String
    ) -> String {
        if !configuration.daemon.stateDirectory.isEmpty { return configuration.daemon.stateDirectory }
        if let state = firstPath(environment["STATE_DIRECTORY"]) { return state }
        if isRoot { return packagedStateDirectory }
        return (workingDirectory == "/" ? "" : workingDirectory) + "/.osprey"
    }

    /// systemd joins several directories with ':'; Osprey uses the first.
    static func firstPath(_ value: String?) -> String? {
        guard let first = value?.split(separator: ":").first, !first.isEmpty else { return nil }
        return String(first)
    }
}
