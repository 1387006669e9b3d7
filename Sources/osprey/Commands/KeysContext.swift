import ArgumentParser
import Logging
import OspreyConfig
import OspreyCore
import OspreySecrets
import OspreyStore

#if canImport(Glibc)
import Glibc
#endif

/// What the `keys` commands share: the configuration, where the master key comes from, and the database.
struct KeysContext {
    let configuration: DaemonConfiguration
    let paths: RuntimePaths

    init(config: ConfigOptions) throws {
        switch ConfigurationLoader(mainFile: config.path).load() {
        case .success(let loaded): configuration = loaded.configuration
        case .failure(let errors):
            for problem in errors.problems { ProcessEnvironment.printError("error: \(problem)") }
            throw ExitCode(1)
        }
        paths = RuntimePaths.forDaemon(
            configuration, environment: ProcessEnvironment.variables, isRoot: ProcessEnvironment.isRoot,
            workingDirectory: ProcessEnvironment.workingDirectory)
    }

    /// systemd's credential (`LoadCredential=master.key:…`) when present, else `[secrets].master_key_file`.
    static func masterKeyPath(_ configuration: DaemonConfiguration, environment: [String: String]) -> String {
        if let directory = environment["CREDENTIALS_DIRECTORY"], ProcessEnvironment.exists(directory + "/master.key") {
            return directory + "/master.key"
        }
        return configuration.secrets.masterKeyFile
    }

    static func loadMaster(_ path: String) -> Result<MasterKeys, KeyVaultError> {
        switch MasterKeyFile.read(path) {
        case .success(let lines):
            return Result { () throws(KeyVaultError) in try MasterKeys(lines: lines, source: path) }
        case .failure(let problem):
            return .failure(KeyVaultError.noMasterKey(problem.description))
        }
    }

    var masterKeyPath: String { Self.masterKeyPath(configuration, environment: ProcessEnvironment.variables) }

    /// The vault over the daemon's database. The master key is read first; then, when run as root against a
    /// state directory owned by the daemon's user, privileges drop to that user so every file SQLite creates
    /// stays the daemon's.
    func vault(dropPrivileges: Bool = true) throws -> KeyVault {
        let master = Self.loadMaster(masterKeyPath)
        if dropPrivileges { try dropToStateOwner() }
        do {
            let database = try Database(directory: paths.stateDirectory, logger: Logger(label: "osprey.keys") { _ in SwiftLogNoOpLogHandler() })
            return KeyVault(repository: ExchangeKeyTable(database), master: master)
        } catch {
            ProcessEnvironment.printError("error: \(error)")
            throw ExitCode(1)
        }
    }

    private func dropToStateOwner() throws {
        var info = stat()
        guard geteuid() == 0, stat(paths.stateDirectory, &info) == 0, info.st_uid != 0 else { return }
        guard setgid(info.st_gid) == 0, setuid(info.st_uid) == 0 else {
            ProcessEnvironment.printError("error: cannot switch to the owner (uid \(info.st_uid)) of \(paths.stateDirectory)")
            throw ExitCode(1)
        }
    }
}
