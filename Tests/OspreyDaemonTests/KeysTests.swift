import Foundation
import OspreyTestSupport
import Testing

/// `osprey keys …` and the daemon's use of the key store, against the real binary.
@Suite struct KeysTests {
    static let apiKey = "LEAKCHECKapikey" + String(UUID().uuidString.prefix(8))
    static let apiSecret = "LEAKCHECKsecret" + String(UUID().uuidString.prefix(8))

    func harness() throws -> DaemonHarness {
        let daemon = try DaemonHarness()
        try daemon.writeConfig(level: "debug", extra: "[secrets]\nmaster_key_file = \"\(daemon.directory)/master.key\"\n")
        return daemon
    }

    func keys(_ daemon: DaemonHarness, _ arguments: [String], input: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        let full = ["keys"] + arguments + ["--config", daemon.configPath]
        return try input.map { try daemon.cli(full, input: $0) } ?? daemon.cli(full)
    }

    @Test func initAddListVerifyRotateRemove() throws {
        let daemon = try harness()
        let master = daemon.directory + "/master.key"
        let created = try keys(daemon, ["init"])
        #expect(created.status == 0, "\(created.stderr)")
        let mode = try FileManager.default.attributesOfItem(atPath: master)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o400)
        let again = try keys(daemon, ["init"])
        #expect(again.status == 1 && again.stderr.contains("already exists; refusing to overwrite"))

        let added = try keys(daemon, ["add", "main", "--exchange", "binance"], input: "\(Self.apiKey)\n\(Self.apiSecret)\n")
        #expect(added.status == 0, "\(added.stderr)")
        let duplicate = try keys(daemon, ["add", "main", "--exchange", "binance"], input: "a\nb\n")
        #expect(duplicate.status == 1 && duplicate.stderr.contains("a key named main already exists"))
        let noSecret = try keys(daemon, ["add", "second", "--exchange", "binance"], input: "only-a-key\n")
        #expect(noSecret.status == 1 && noSecret.stderr.contains("expected the API secret on standard input"))

        let list = try keys(daemon, ["list"])
        #expect(list.stdout.contains("main  binance   "))
        #expect(list.stdout.contains("sha256:"))
        #expect(try keys(daemon, ["verify"]).stdout == "master key: ok (\(master))\nmain: ok\n")

        // Rotation: afterwards only the new key opens the store, and the master file holds only it.
        let oldMaster = try String(contentsOfFile: master, encoding: .utf8)
        #expect(try keys(daemon, ["init", "--path", daemon.directory + "/new.key"]).status == 0)
        let rotated = try keys(daemon, ["rotate", "--new-key", daemon.directory + "/new.key"])
        #expect(rotated.status == 0, "\(rotated.stderr)")
        #expect(rotated.stdout.contains("re-encrypted 1 key under the new master key"))
        #expect(try String(contentsOfFile: master, encoding: .utf8) == String(contentsOfFile: daemon.directory + "/new.key", encoding: .utf8))
        #expect(try keys(daemon, ["verify"]).status == 0)
        try FileManager.default.removeItem(atPath: master)
        try oldMaster.write(toFile: master, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: master)
        let withOld = try keys(daemon, ["verify"])
        #expect(withOld.status == 1)
        #expect(withOld.stdout.contains("main: FAILED: the key main cannot be decrypted: the master key in \(master) is not the one it was stored with"))

        #expect(try keys(daemon, ["remove", "main"]).status == 0)
        #expect(try keys(daemon, ["list"]).stdout == "no keys stored\n")
        let absent = try keys(daemon, ["remove", "main"])
        #expect(absent.status == 1 && absent.stderr.contains("there is no key named main"))
    }

    @Test func aMasterKeyOthersCanReadIsRefusedLikeSSHDoes() throws {
        let daemon = try harness()
        #expect(try keys(daemon, ["init"]).status == 0)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: daemon.directory + "/master.key")
        let refused = try keys(daemon, ["add", "main", "--exchange", "binance"], input: "k\ns\n")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("permissions 0644 for the master key file \(daemon.directory)/master.key are too open"))
        #expect(refused.stderr.contains("run: chmod 0400 \(daemon.directory)/master.key"))
    }

    @Test func aMasterKeyOwnedBySomeoneElseIsRefused() throws {
        let daemon = try harness()
        #expect(try keys(daemon, ["init"]).status == 0)
        let master = daemon.directory + "/master.key"
        #expect(chown(master, 65534, 65534) == 0)
        let refused = try keys(daemon, ["verify"])
        #expect(refused.status == 1)
        #expect(refused.stdout.hasPrefix("master key: FAILED: no usable master key: the master key file \(master) is owned by uid 65534, not root or the running user (uid 0); run: chown root:root \(master)\n"), "\(refused.stdout)")
    }

    /// Docs/secrets.md: plaintext exists only where a request is signed. A paper-trading daemon decrypts every
    /// stored key at start and on each reload to check it, and must leave no copy behind in its memory.
    @Test func checkingKeysOnReloadLeavesNoPlaintextInMemory() async throws {
        let daemon = try harness()
        #expect(try keys(daemon, ["init"]).status == 0)
        #expect(try keys(daemon, ["add", "main", "--exchange", "binance"], input: "\(Self.apiKey)\n\(Self.apiSecret)\n").status == 0)
        try await daemon.startReady()
        for _ in 0..<4 {
            let before = daemon.notify.all.count
            daemon.signal(SIGHUP)
            try await daemon.notify.wait(after: before - 1, for: "READY after reload") { $0.contains("READY=1") }
        }
        #expect(try daemon.get("/readyz").body.contains(#""exchange-key:main":{"detail":"binance key sha256:"#), "the key was checked")
        let pid = try #require(daemon.pid)
        #expect(try occurrences(of: Self.apiKey, inMemoryOf: pid) == 0, "API key copies in the daemon's memory")
        #expect(try occurrences(of: Self.apiSecret, inMemoryOf: pid) == 0, "API secret copies in the daemon's memory")
        #expect(try occurrences(of: "osprey.db", inMemoryOf: pid) > 0, "the scan reads the daemon's memory")
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }

    @Test func theDaemonMarksAnUnusableKeyDownAndKeepsRunning() async throws {
        let daemon = try harness()
        #expect(try keys(daemon, ["init"]).status == 0)
        #expect(try keys(daemon, ["add", "main", "--exchange", "binance"], input: "\(Self.apiKey)\n\(Self.apiSecret)\n").status == 0)
        try await daemon.startReady()
        var readiness = try daemon.get("/readyz")
        #expect(readiness.status == 200)
        #expect(readiness.body.contains("\"exchange-key:main\":{\"detail\":\"binance key sha256:"))

        // Another master key: the key cannot be decrypted; /readyz says why, the daemon stays ready (paper mode).
        try FileManager.default.removeItem(atPath: daemon.directory + "/master.key")
        #expect(try keys(daemon, ["init"]).status == 0)
        let before = daemon.notify.all.count
        daemon.signal(SIGHUP)
        try await daemon.notify.wait(after: before - 1, for: "READY after reload") { $0.contains("READY=1") }
        readiness = try daemon.get("/readyz")
        #expect(readiness.status == 200)
        #expect(readiness.body.contains("the key main cannot be decrypted: the master key in \(daemon.directory)/master.key is not the one it was stored with"))
        #expect(readiness.body.contains("\"status\":\"degraded\""))
        #expect(try daemon.get("/metrics").body.contains("osprey_component_up{component=\"exchange-key:main\"} 0"))
        let logged = try #require(daemon.logRecords.first { $0["OSPREY_KEY_NAME"] == "main" && $0["PRIORITY"] == "3" })
        #expect(logged["OSPREY_ERROR_KIND"] == "cannot_decrypt")

        // Removing the key while the daemon runs, then reloading, clears it from /readyz.
        #expect(try keys(daemon, ["remove", "main"]).status == 0)
        let second = daemon.notify.all.count
        daemon.signal(SIGHUP)
        try await daemon.notify.wait(after: second - 1, for: "READY after reload") { $0.contains("READY=1") }
        #expect(try !daemon.get("/readyz").body.contains("exchange-key:main"))
        #expect(try !daemon.get("/metrics").body.contains("component=\"exchange-key:main\""),
                "a removed key's series is gone, so no alert fires for it")
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }

    /// On a terminal, `keys add` prompts for the key and secret and does not echo what is typed.
    @Test func theTerminalPromptDoesNotEchoTheSecret() throws {
        let daemon = try harness()
        #expect(try keys(daemon, ["init"]).status == 0)
        let script = #"""
            import sys, pexpect
            child = pexpect.spawn(sys.argv[1], sys.argv[2:-1], encoding="utf-8", timeout=20)
            child.expect_exact("API key: ")
            child.sendline(sys.argv[-1] + "-key")
            child.expect_exact("API secret: ")
            child.sendline(sys.argv[-1] + "-secret")
            child.expect(pexpect.EOF)
            child.close()
            sys.stdout.write(child.before + "\n---\n" + str(child.exitstatus))
            """#
        let marker = "TTYSECRET" + String(UUID().uuidString.prefix(6))
        let result = try runProcess("/usr/bin/env", [
            "python3", "-c", script, DaemonHarness.binary, "keys", "add", "tty", "--exchange", "binance", "--config", daemon.configPath, marker,
        ])
        let transcript = result.output
        #expect(result.status == 0, "\(transcript)")
        #expect(transcript.contains("stored key tty for binance"), "\(transcript)")
        #expect(transcript.hasSuffix("---\n0"), "\(transcript)")
        #expect(!transcript.contains(marker), "the terminal echoed what was typed: \(transcript)")
        #expect(try keys(daemon, ["verify"]).stdout.hasSuffix("\ntty: ok\n"))
    }

    /// systemd's LoadCredential= hands the key over in $CREDENTIALS_DIRECTORY, which wins over the file.
    @Test func theSystemdCredentialIsPreferredOverTheKeyFile() async throws {
        let daemon = try harness()
        #expect(try keys(daemon, ["init"]).status == 0)
        #expect(try keys(daemon, ["add", "main", "--exchange", "binance"], input: "k-1\ns-1\n").status == 0)
        let credentials = daemon.directory + "/credentials"
        try FileManager.default.createDirectory(atPath: credentials, withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: daemon.directory + "/master.key", toPath: credentials + "/master.key")
        try await daemon.startReady(environment: ["CREDENTIALS_DIRECTORY": credentials])
        let readiness = try daemon.get("/readyz").body
        #expect(readiness.contains("\"exchange-key:main\":{\"detail\":\"binance key sha256:"), "\(readiness)")
        #expect(readiness.contains("\"status\":\"up\""))
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }

    /// Every key path with known secret strings; none of them, nor the master key, may appear in any output.
    @Test func secretsNeverAppearInOutputLogsMetricsOrResponses() async throws {
        let daemon = try harness()
        var captured: [String] = []
        func run(_ arguments: [String], input: String? = nil) throws {
            let result = try keys(daemon, arguments, input: input)
            captured += [result.stdout, result.stderr]
        }
        try run(["init"])
        try run(["add", "main", "--exchange", "binance"], input: "\(Self.apiKey)\n\(Self.apiSecret)\n")
        try run(["add", "bad name", "--exchange", "binance"], input: "\(Self.apiKey)\n\(Self.apiSecret)\n")
        try run(["add", "spaced", "--exchange", "binance"], input: "\(Self.apiKey) x\n\(Self.apiSecret)\n")
        try run(["list"])
        try run(["verify"])
        try await daemon.startReady()
        try run(["init", "--path", daemon.directory + "/new.key"])
        try run(["rotate", "--new-key", daemon.directory + "/new.key"])
        daemon.signal(SIGHUP)
        try await Task.sleep(for: .milliseconds(300))
        // A failing decrypt: swap in a stranger's master key and reload.
        try FileManager.default.removeItem(atPath: daemon.directory + "/master.key")
        try run(["init"])
        try run(["verify"])
        daemon.signal(SIGHUP)
        try await Task.sleep(for: .milliseconds(300))
        for path in ["/metrics", "/readyz", "/healthz"] { captured.append(try daemon.get(path).body) }
        let status = try daemon.cli(["status", "--json", "--socket", daemon.controlSocket])
        captured += [status.stdout, status.stderr]
        let check = try daemon.cli(["check-config", "--config", daemon.configPath])
        captured += [check.stdout, check.stderr]
        daemon.signal(SIGTERM)
        _ = try await daemon.waitForExit()
        captured.append(daemon.stderr)

        let masterKeys = try [daemon.directory + "/master.key", daemon.directory + "/new.key"].map {
            try String(contentsOfFile: $0, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #expect(daemon.stderr.contains("exchange key cannot be used"), "the failing decrypt was exercised")
        #expect(captured.joined().contains("main"), "output was captured")
        for secret in [Self.apiKey, Self.apiSecret] + masterKeys {
            for text in captured {
                #expect(!text.contains(secret), "a secret leaked into: \(text.prefix(300))")
            }
        }
    }
}
