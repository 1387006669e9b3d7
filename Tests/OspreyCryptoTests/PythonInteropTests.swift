import Foundation
import OspreyCrypto
import OspreyTestSupport
import Testing

/// Tokens cross between Osprey and Python's `cryptography.fernet` (the reference implementation users know)
/// in both directions. .ci/install-deps installs the PyPI package.
@Suite struct PythonInteropTests {
    static let script = #"""
        import sys, json
        from cryptography.fernet import Fernet, MultiFernet
        request = json.load(sys.stdin)
        key = request["key"].encode()
        f = Fernet(key)
        opened = [f.decrypt(t.encode(), ttl=3600).decode() for t in request["osprey_tokens"]]
        made = [f.encrypt(p.encode()).decode() for p in request["plaintexts"]]
        rotated = MultiFernet([Fernet(request["new_key"].encode()), f]).rotate(made[0].encode()).decode()
        json.dump({"opened": opened, "python_tokens": made, "rotated": rotated}, sys.stdout)
        """#

    @Test func tokensCrossBothWays() throws {
        let (key, keyText) = try FernetKey.generate()
        let (newKey, newKeyText) = try FernetKey.generate()
        let fernet = Fernet(key: key)
        let plaintexts = ["", "hello", String(repeating: "x", count: 64), "api key ✓ with ünïcode", String(repeating: "q", count: 1000)]
        let now = Int64(Date().timeIntervalSince1970)
        let ospreyTokens = try plaintexts.map { try fernet.encrypt(Array($0.utf8), at: now) }

        let request = try JSONSerialization.data(withJSONObject: [
            "key": keyText, "new_key": newKeyText, "osprey_tokens": ospreyTokens, "plaintexts": plaintexts,
        ])
        let result = try runProcess("/usr/bin/env", ["python3", "-c", Self.script], input: String(decoding: request, as: UTF8.self))
        try #require(result.status == 0, "python3: \(result.stderr)")

        let reply = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(reply["opened"] as? [String] == plaintexts, "Python opens Osprey's tokens")
        let pythonTokens = try #require(reply["python_tokens"] as? [String])
        for (token, plaintext) in zip(pythonTokens, plaintexts) {
            #expect(try fernet.decrypt(token, ttl: 3600, now: now + 5) == Array(plaintext.utf8), "Osprey opens Python's tokens")
        }
        let rotated = try #require(reply["rotated"] as? String)
        #expect(try Fernet(key: newKey).decrypt(rotated, now: now) == Array(plaintexts[0].utf8))
    }
}
