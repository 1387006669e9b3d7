import ArgumentParser
import OspreyConfig
import OspreyCore
import OspreyRuntime
import OspreySecrets

/// `osprey keys …`: exchange API keys, encrypted under the master key.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Manage exchange API keys (stored encrypted; the master key stays outside the database).",
        discussion: "After a change, `systemctl reload osprey` makes the running daemon use it.",
        subcommands: [Init.self, Add.self, List.self, Remove.self, Verify.self, Rotate.self])

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a new random master key file (mode 0400); never overwrites.")
        @OptionGroup var config: ConfigOptions
        @Option(help: ArgumentHelp("Where to create it (default: [secrets].master_key_file).", valueName: "file")) var path: String?

        func run() throws {
            let target = try path ?? KeysContext(config: config).configuration.secrets.masterKeyFile
            let line = try MasterKeys.generateLine()
            if case .failure(let problem) = MasterKeyFile.create(target, lines: [line]) {
                ProcessEnvironment.printError("error: \(problem)")
                throw ExitCode(1)
            }
            print("created the master key file \(target) (mode 0400)")
            print("back it up somewhere safe: without it the stored exchange keys cannot be decrypted")
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Store an API key and secret, read from a prompt (no echo) or two lines of standard input.")
        @OptionGroup var config: ConfigOptions
        @Argument(help: "A name for the key, e.g. main.") var name: String
        @Option(help: "The exchange: binance.") var exchange: String

        func run() throws {
            let vault = try KeysContext(config: config).vault()
            let credentials = try SecretInput.credentials()
            do {
                try vault.add(name: name, exchange: exchange, credentials: credentials, now: Int64(WallClock.system.now()))
            } catch {
                ProcessEnvironment.printError("error: \(error)")
                throw ExitCode(1)
            }
            print("stored key \(name) for \(exchange); run `systemctl reload osprey` to use it")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List stored keys: name, exchange, created, fingerprint.")
        @OptionGroup var config: ConfigOptions

        func run() throws {
            let records = try KeysCommand.attempt { try KeysContext(config: config).vault().list() }
            guard !records.isEmpty else {
                print("no keys stored")
                return
            }
            let width = max(4, records.map(\.name.count).max() ?? 0)
            print("\("NAME".padding(width))  EXCHANGE  CREATED               FINGERPRINT")
            for record in records {
                print("\(record.name.padding(width))  \(record.exchange.padding(8))  \(UTCDateTime(unixSeconds: record.createdAt).rfc3339())  \(record.fingerprint)")
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a stored key.")
        @OptionGroup var config: ConfigOptions
        @Argument var name: String

        func run() throws {
            try KeysCommand.attempt { try KeysContext(config: config).vault().remove(name: name) }
            print("removed key \(name)")
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Decrypt every stored key and report each; exit 1 if any fails.")
        @OptionGroup var config: ConfigOptions

        func run() throws {
            let context = try KeysContext(config: config)
            let master = KeysContext.loadMaster(context.masterKeyPath)
            switch master {
            case .success(let keys): print("master key: ok (\(keys.source))")
            case .failure(let problem): print("master key: FAILED: \(problem)")
            }
            let results = try KeysCommand.attempt { try context.vault().verify() }
            for (record, problem) in results {
                print("\(record.name): \(problem.map { "FAILED: \($0)" } ?? "ok")")
            }
            if results.isEmpty { print("no keys stored") }
            if results.contains(where: { $0.problem != nil }) { throw ExitCode(1) }
            if case .failure = master { throw ExitCode(1) }
        }
    }

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-encrypt every key under a new master key (from `osprey keys init --path FILE`), all or nothing.")
        @OptionGroup var config: ConfigOptions
        @Option(name: .customLong("new-key"), help: ArgumentHelp("The new master key file.", valueName: "file")) var newKey: String

        func run() throws {
            let context = try KeysContext(config: config)
            try KeyRotation(context: context, newKeyFile: newKey).run()
        }
    }

    /// Runs `body`, turning any error into one `error:` line and exit 1.
    @discardableResult
    static func attempt<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            ProcessEnvironment.printError("error: \(error)")
            throw ExitCode(1)
        }
    }
}
