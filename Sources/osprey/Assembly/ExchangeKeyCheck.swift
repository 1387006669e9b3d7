import Logging
import OspreyCore
import OspreyRuntime
import OspreySecrets
import OspreyStore

/// At start and after every reload: read the master key, try every stored exchange key, and show each in
/// /readyz as `exchange-key:<name>` (not required: paper trading needs no key). A key that cannot be
/// decrypted is marked down with the reason, and logged by name only; the daemon keeps running.
struct ExchangeKeyCheck: Sendable {
    static let prefix = "exchange-key:"

    let database: Database
    let health: HealthRegistry
    let logger: Logger

    func run(_ configuration: DaemonConfiguration) {
        let masterPath = KeysContext.masterKeyPath(configuration, environment: ProcessEnvironment.variables)
        let vault = KeyVault(repository: ExchangeKeyTable(database), master: KeysContext.loadMaster(masterPath))
        let results: [(record: ExchangeKeyRecord, problem: KeyVaultError?)]
        do {
            results = try vault.verify()
        } catch {
            logger.error("cannot read the stored exchange keys", metadata: ["error": "\(error)"])
            return
        }
        var seen: Set<String> = []
        for (record, problem) in results {
            let component = Self.prefix + record.name
            seen.insert(component)
            if let problem {
                logger.error("exchange key cannot be used: \(problem)", metadata: [
                    "key.name": "\(record.name)", "exchange": "\(record.exchange)", "error.kind": "\(problem.code)",
                ])
                health.set(component, ComponentHealth(status: .down, detail: "\(record.exchange): \(problem)", required: false))
            } else {
                health.set(component, ComponentHealth(status: .up, detail: "\(record.exchange) key \(record.fingerprint) decrypts", required: false))
            }
        }
        health.removeAll(prefix: Self.prefix, except: seen)
    }
}
