import Foundation
import OspreyCrypto
import OspreyTestSupport
import Testing

/// The Fernet spec's vectors (github.com/fernet/spec), copied into Fixtures.
struct FernetVector: Decodable {
    let token: String
    let now: String
    let secret: String
    let src: String?
    let iv: [UInt8]?
    let ttl_sec: Int64?
    let desc: String?

    static func load(_ name: String) throws -> [FernetVector] {
        let data = try Data(contentsOf: URL(fileURLWithPath: repositoryFile("Tests/OspreyCryptoTests/Fixtures/\(name).json")))
        return try JSONDecoder().decode([FernetVector].self, from: data)
    }

    /// "1985-10-26T01:20:01-07:00" as Unix seconds.
    var unixNow: Int64 {
        let parts = now.split(whereSeparator: { "-T:+".contains($0) }).map { Int64($0)! }
        let (year, month, day, hour, minute, second) = (parts[0], parts[1], parts[2], parts[3], parts[4], parts[5])
        let sign: Int64 = now.dropFirst(19).first == "-" ? -1 : 1
        let offset = sign * (parts[6] * 3600 + parts[7] * 60)
        let y = month <= 2 ? year - 1 : year
        let era = y / 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = (y - era * 400) * 365 + (y - era * 400) / 4 - (y - era * 400) / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return days * 86400 + hour * 3600 + minute * 60 + second - offset
    }
}

@Suite struct FernetTests {
    @Test func specGenerateVectors() throws {
        for vector in try FernetVector.load("generate") {
            let fernet = Fernet(key: try FernetKey(base64: vector.secret))
            #expect(try fernet.encrypt(Array(vector.src!.utf8), at: vector.unixNow, iv: vector.iv) == vector.token)
        }
    }

    @Test func specVerifyVectors() throws {
        for vector in try FernetVector.load("verify") {
            let fernet = Fernet(key: try FernetKey(base64: vector.secret))
            let plaintext = try fernet.decrypt(vector.token, ttl: vector.ttl_sec, now: vector.unixNow)
            #expect(String(decoding: plaintext, as: UTF8.self) == vector.src)
        }
    }

    @Test func specInvalidVectorsAreAllRefused() throws {
        let vectors = try FernetVector.load("invalid")
        #expect(vectors.count == 8)
        for vector in vectors {
            let fernet = Fernet(key: try FernetKey(base64: vector.secret))
            #expect(throws: FernetError.self, "\(vector.desc ?? "")") {
                try fernet.decrypt(vector.token, ttl: vector.ttl_sec, now: vector.unixNow)
            }
        }
    }

    @Test func timeToLiveAndClockSkew() throws {
        let fernet = Fernet(key: try FernetKey.generate().key)
        let token = try fernet.encrypt(Array("secret".utf8), at: 1_000_000)
        #expect(try fernet.decrypt(token, ttl: 60, now: 1_000_060) == Array("secret".utf8))
        #expect(throws: FernetError.expired) { try fernet.decrypt(token, ttl: 60, now: 1_000_061) }
        #expect(try fernet.decrypt(token, ttl: 60, now: 999_940) == Array("secret".utf8))
        #expect(throws: FernetError.fromTheFuture) { try fernet.decrypt(token, ttl: 60, now: 999_939) }
        #expect(try fernet.decrypt(token, now: 0) == Array("secret".utf8), "without a TTL the age does not matter")
    }

    @Test func severalKeysDecryptWithAnyAndRotateToTheFirst() throws {
        let old = try FernetKey.generate().key
        let new = try FernetKey.generate().key
        let token = try Fernet(key: old).encrypt(Array("api-secret".utf8), at: 500)
        let both = Fernet(keys: [new, old])
        #expect(try both.decrypt(token, now: 600) == Array("api-secret".utf8))
        let rotated = try both.rotate(token, now: 600)
        #expect(try Fernet(key: new).decrypt(rotated, ttl: 100, now: 600) == Array("api-secret".utf8), "rotation keeps the timestamp")
        #expect(throws: FernetError.expired) { try Fernet(key: new).decrypt(rotated, ttl: 99, now: 600) }
        #expect(throws: FernetError.badSignature) { try Fernet(key: old).decrypt(rotated, now: 600) }
    }

    @Test func keysNeverPrintTheirBytes() throws {
        let key = try FernetKey(base64: "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=")
        var dumped = ""
        dump(Fernet(keys: [key, key]), to: &dumped)
        for text in ["\(key)", String(reflecting: key), dumped, "\(Fernet(key: key))"] {
            #expect(text.contains("redacted"))
            #expect(!text.contains("115"), "\(text)")  // the first key byte, 0x73
            #expect(!text.contains("planes"))
        }
    }

    @Test func badKeysAreRefusedWithoutEchoingThem() {
        for text in ["", "short", String(repeating: "A", count: 42), "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=x"] {
            #expect(throws: FernetError.self) { try FernetKey(base64: text) }
        }
        do {
            _ = try FernetKey(base64: "not-a-key-but-a-secret-looking-value")
        } catch {
            #expect(!error.description.contains("secret-looking"))
        }
    }

    /// Thousands of random and mutated tokens: every one is refused with a FernetError, none crashes.
    @Test func fuzzedTokensAreAlwaysRefused() throws {
        let fernet = Fernet(key: try FernetKey.generate().key)
        let valid = try fernet.encrypt(Array(repeating: UInt8(ascii: "k"), count: 64), at: 1_700_000_000)
        let raw = Base64URL.decode(valid)!
        var generator = SplitMix64(seed: 0x05_0F_EE)
        var refused = 0
        var cases: [String] = []
        for round in 0..<6000 {
            var bytes = raw
            switch round % 8 {
            case 0: bytes[Int(generator.next() % UInt64(bytes.count))] ^= UInt8(1 << (generator.next() % 8))
            case 1: bytes = Array(bytes.prefix(Int(generator.next() % UInt64(bytes.count))))
            case 2: bytes[0] = UInt8(truncatingIfNeeded: generator.next() | 1) & 0x7F
            case 3: bytes += (0..<Int(generator.next() % 40 + 1)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            case 4: bytes = (0..<Int(generator.next() % 300)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            case 5: bytes = (0..<(73 + 16 * Int(generator.next() % 4))).map { _ in UInt8(truncatingIfNeeded: generator.next()) }; bytes[0] = 0x80
            case 6: bytes = raw + [UInt8](repeating: 0, count: 16 * Int(generator.next() % 64 + 1))
            default: bytes.swapAt(Int(generator.next() % UInt64(bytes.count)), Int(generator.next() % UInt64(bytes.count)))
            }
            var token = Base64URL.encode(bytes)
            if round % 97 == 0 { token.insert(contentsOf: ["%", "!", " ", "\u{0}", "é"][round % 5].description, at: token.index(token.startIndex, offsetBy: token.count / 2)) }
            if bytes == raw { continue }
            do {
                _ = try fernet.decrypt(token, ttl: 3600, now: 1_700_000_100)
                cases.append(token)
            } catch {
                refused += 1
            }
        }
        #expect(cases.isEmpty, "accepted mutated tokens: \(cases.prefix(3))")
        #expect(refused > 5900)
    }
}

/// A small deterministic generator, so a fuzz failure can be reproduced.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
