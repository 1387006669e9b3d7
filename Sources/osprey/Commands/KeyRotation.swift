import ArgumentParser
import OspreyConfig
import OspreyCore
import OspreyRuntime
import OspreySecrets

/// `osprey keys rotate`: every step leaves a state in which the daemon can still open every key.
/// 1. The master key file gets both keys (new first), so either works.
/// 2. Every token is re-encrypted under the new key in one transaction.
/// 3. The master key file keeps only the new key: the old one no longer opens anything.
struct KeyRotation {
    let context: KeysContext
    let newKeyFile: String

    func run() throws {
        let masterPath = context.configuration.secrets.masterKeyFile
        let currentLines = try read(masterPath)
        let newLines = try read(newKeyFile)
        let new = try KeysCommand.attempt { try MasterKeys(lines: [newLines[0]], source: newKeyFile) }
        guard newLines[0] != currentLines[0] else {
            throw failure("\(newKeyFile) holds the current master key; create a new one with `osprey keys init --path FILE`")
        }
        // The key file belongs to root, so this command keeps its privileges for the database too.
        let vault = try context.vault(dropPrivileges: false)
        let failing = try KeysCommand.attempt { try vault.verify() }.compactMap(\.problem)
        guard failing.isEmpty else {
            throw failure("nothing was changed: \(failing.map(\.description).joined(separator: "; "))")
        }
        try replace(masterPath, [newLines[0]] + currentLines)
        let count: Int
        do {
            count = try vault.rotate(to: new, now: Int64(WallClock.system.now()))
        } catch {
            _ = MasterKeyFile.replace(masterPath, lines: currentLines)
            throw failure("nothing was changed: \(error)")
        }
        try replace(masterPath, [newLines[0]])
        print("re-encrypted \(count) key\(count == 1 ? "" : "s") under the new master key, now in \(masterPath); the old key no longer works")
        print("restart osprey (systemctl restart osprey) so its systemd credential holds the new key; \(newKeyFile) may be deleted")
    }

    private func read(_ path: String) throws -> [String] {
        switch MasterKeyFile.read(path) {
        case .success(let lines): return lines
        case .failure(let problem): throw failure(problem.description)
        }
    }

    private func replace(_ path: String, _ lines: [String]) throws {
        if case .failure(let problem) = MasterKeyFile.replace(path, lines: lines) { throw failure(problem.description) }
    }

    private func failure(_ message: String) -> ExitCode {
        ProcessEnvironment.printError("error: \(message)")
        return ExitCode(1)
    }
}
