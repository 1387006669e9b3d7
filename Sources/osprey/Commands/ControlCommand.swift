import ArgumentParser
import OspreyConfig
import OspreyControlClient
import OspreyCore

/// Options and plumbing shared by the commands that talk to the running daemon.
struct ControlOptions: ParsableArguments {
    @OptionGroup var config: ConfigOptions

    @Option(name: .customLong("socket"), help: ArgumentHelp(
        "The daemon's control socket (default: [control].socket, else /run/osprey/control.sock or <state_dir>/control.sock).",
        valueName: "path"))
    var socket: String?

    @Flag(name: .customLong("json"), help: "Print the daemon's JSON answer as it is.")
    var json = false

    /// The socket path, derived like the daemon derives it.
    func socketPath() throws -> String {
        if let socket { return socket }
        let configuration: DaemonConfiguration
        switch ConfigurationLoader(mainFile: config.path).load() {
        case .success(let loaded): configuration = loaded.configuration
        case .failure(let errors):
            ProcessEnvironment.printError("error: cannot find the control socket, the configuration is invalid:\n\(errors)")
            throw ExitCode(1)
        }
        return RuntimePaths.socketForClient(
            configuration, environment: ProcessEnvironment.variables, isRoot: ProcessEnvironment.isRoot,
            workingDirectory: ProcessEnvironment.workingDirectory, exists: ProcessEnvironment.exists)
    }

    func send(_ method: String, _ path: String, body: [UInt8]? = nil, timeoutSeconds: Int = 30) throws -> ControlClient.Response {
        do {
            return try ControlClient(socketPath: try socketPath(), timeoutSeconds: timeoutSeconds).send(method, path, body: body)
        } catch let error as ControlClientError {
            ProcessEnvironment.printError("error: \(error)")
            throw ExitCode(1)
        }
    }
}

/// `osprey status`: what the running daemon is doing.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the running daemon's state, configuration and components.")

    @OptionGroup var control: ControlOptions

    func run() throws {
        let response = try control.send("GET", "/v1/status")
        if control.json {
            print(response.text, terminator: "")
            return
        }
        guard response.status == 200, let status = ControlCodec.decode(StatusPayload.self, from: response.body) else {
            ProcessEnvironment.printError("error: unexpected answer from the daemon (HTTP \(response.status)): \(response.text)")
            throw ExitCode(1)
        }
        print("osprey \(status.version) (revision \(status.revision)), pid \(status.pid), up \(Self.duration(status.uptimeSeconds))")
        print("state:      \(status.ready ? "ready" : "NOT READY") (\(status.overall))")
        print("http:       \(status.httpListen)")
        print("control:    \(status.controlSocket)")
        print("state dir:  \(status.stateDirectory)")
        print("log level:  \(status.logLevel)")
        print("config:     \(status.configFiles.isEmpty ? "embedded defaults" : status.configFiles.joined(separator: ", "))")
        for error in status.lastReloadErrors { print("last reload REJECTED: \(error)") }
        print("components:")
        let width = status.components.keys.map(\.count).max() ?? 0
        for name in status.components.keys.sorted() {
            let component = status.components[name]!
            print("  \(name.padding(width))  \(component.status.padding(8))  \(component.detail)")
        }
        if !status.ready { throw ExitCode(3) }
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds)
        if total < 60 { return "\(total)s" }
        if total < 3600 { return "\(total / 60)m\(total % 60)s" }
        if total < 86400 { return "\(total / 3600)h\(total % 3600 / 60)m" }
        return "\(total / 86400)d\(total % 86400 / 3600)h"
    }
}

/// `osprey reload`: like `systemctl reload osprey`, but waits and prints what happened.
struct ReloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload", abstract: "Re-read the configuration in the running daemon and report the result.")

    @OptionGroup var control: ControlOptions

    func run() throws {
        let response = try control.send("POST", "/v1/reload")
        if control.json {
            print(response.text, terminator: "")
        } else if let result = ControlCodec.decode(ReloadPayload.self, from: response.body) {
            if result.ok {
                print("configuration reloaded")
                if !result.appliedLive.isEmpty { print("applied live: \(result.appliedLive.joined(separator: ", "))") }
                for key in result.restartRequired { print("changed, needs a restart: \(key)") }
            } else {
                for error in result.errors { ProcessEnvironment.printError("error: \(error)") }
                ProcessEnvironment.printError("configuration rejected; the daemon keeps running the previous one")
            }
        } else {
            ProcessEnvironment.printError("error: unexpected answer from the daemon (HTTP \(response.status)): \(response.text)")
        }
        if response.status != 200 { throw ExitCode(1) }
    }
}

extension ControlOptions {
    /// Sends the request. With `--json`, prints the daemon's answer as it is and returns nil (exit 1 unless
    /// it is a 200); otherwise decodes `T` from a 200 answer, or prints the daemon's error and exits 1.
    func answer<T: Decodable>(_ type: T.Type, _ method: String, _ path: String, body: [UInt8]? = nil, timeoutSeconds: Int = 30) throws -> T? {
        let response = try send(method, path, body: body, timeoutSeconds: timeoutSeconds)
        if json {
            print(response.text, terminator: "")
            if response.status != 200 { throw ExitCode(1) }
            return nil
        }
        guard response.status == 200, let value = ControlCodec.decode(type, from: response.body) else { try failWithDaemonError(response) }
        return value
    }
}

/// Prints the daemon's JSON error answer (or the raw body) and exits 1.
func failWithDaemonError(_ response: ControlClient.Response) throws -> Never {
    if let answer = ControlCodec.decode(ErrorPayload.self, from: response.body) {
        ProcessEnvironment.printError("error: \(answer.error)")
    } else {
        ProcessEnvironment.printError("error: unexpected answer from the daemon (HTTP \(response.status)): \(response.text)")
    }
    throw ExitCode(1)
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
