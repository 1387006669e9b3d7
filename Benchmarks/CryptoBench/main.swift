import OspreyCrypto

#if canImport(Glibc)
import Glibc
#endif

/// Fernet encrypt+decrypt of a 64-byte secret, and AES-CBC throughput. Run in release mode via
/// Benchmarks/crypto, which measures Python's `cryptography` in the same run.
func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    let elapsed = (ContinuousClock.now - start).components
    return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
}

let secret = [UInt8](repeating: 0x6B, count: 64)
let fernet = Fernet(key: try FernetKey.generate().key)
let now = Int64(time(nil))
var sink = 0

for _ in 0..<200 { sink &+= try fernet.decrypt(fernet.encrypt(secret, at: now), now: now).count }  // warm-up
let tokens = 20_000
let fernetSeconds = try seconds {
    for _ in 0..<tokens { sink &+= try fernet.decrypt(fernet.encrypt(secret, at: now), ttl: 60, now: now).count }
}

let aes128 = try AES(key: try SystemRandom.bytes(16))
let megabytes = 16
let data = [UInt8](repeating: 0x42, count: megabytes << 20)
let iv = [UInt8](repeating: 0, count: 16)
var ciphertext: [UInt8] = []
let encryptSeconds = try seconds { ciphertext = try AESCBC.encryptBlocks(data, key: aes128, iv: iv) }
let decryptSeconds = try seconds { sink &+= try AESCBC.decryptBlocks(ciphertext, key: aes128, iv: iv).count }

print("osprey fernet_tokens_per_s \(Int(Double(tokens) / fernetSeconds))")
print("osprey aes128_cbc_encrypt_MB_per_s \((Double(megabytes) / encryptSeconds * 10).rounded() / 10)")
print("osprey aes128_cbc_decrypt_MB_per_s \((Double(megabytes) / decryptSeconds * 10).rounded() / 10)")
if sink == 42 { print("") }
