@testable import OspreyCrypto
import Testing

@Suite struct AESTests {
    /// The S-box from its definition (multiplicative inverse in GF(2^8), then the affine map), by table,
    /// as an independent reference for the circuit.
    static let referenceSBox: [UInt8] = {
        func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
            var (a, b, product) = (a, b, UInt8(0))
            for _ in 0..<8 {
                if b & 1 != 0 { product ^= a }
                let carry = a & 0x80
                a <<= 1
                if carry != 0 { a ^= 0x1B }
                b >>= 1
            }
            return product
        }
        return (0..<256).map { value in
            let x = UInt8(value)
            let inverse = x == 0 ? 0 : (1...255).map(UInt8.init).first { multiply(x, $0) == 1 }!
            var s: UInt8 = 0x63
            for i in 0..<8 {
                let bit = (inverse >> i) ^ (inverse >> ((i + 4) % 8)) ^ (inverse >> ((i + 5) % 8))
                    ^ (inverse >> ((i + 6) % 8)) ^ (inverse >> ((i + 7) % 8))
                s ^= (bit & 1) << i
            }
            return s
        }
    }()

    func through(_ transform: (BitslicedState) -> BitslicedState, _ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 16)
        let state = bytes.withUnsafeBytes { BitslicedState(bytes: $0) }
        out.withUnsafeMutableBytes { transform(state).store(into: $0) }
        return out
    }

    @Test func theCircuitIsTheSBoxAndItsInverseForAll256Bytes() {
        for chunk in stride(from: 0, to: 256, by: 16) {
            let input = (chunk..<chunk + 16).map(UInt8.init)
            #expect(through({ $0.subBytes() }, input) == input.map { Self.referenceSBox[Int($0)] })
            #expect(through({ $0.invSubBytes() }, input.map { Self.referenceSBox[Int($0)] }) == input)
        }
    }

    @Test func roundStepsInvertEachOther() {
        let input = (0..<16).map { UInt8(truncatingIfNeeded: $0 * 17 + 3) }
        #expect(through({ $0.shiftRows().invShiftRows() }, input) == input)
        #expect(through({ $0.mixColumns().invMixColumns() }, input) == input)
        // FIPS-197 §5.1.3 example column: db 13 53 45 → 8e 4d a1 bc.
        let column: [UInt8] = [0xdb, 0x13, 0x53, 0x45] + [UInt8](repeating: 0, count: 12)
        #expect(Array(through({ $0.mixColumns() }, column).prefix(4)) == [0x8e, 0x4d, 0xa1, 0xbc])
    }

    @Test(arguments: [
        // FIPS-197 Appendix B, C.1 (AES-128) and C.3 (AES-256).
        ("2b7e151628aed2a6abf7158809cf4f3c", "3243f6a8885a308d313198a2e0370734", "3925841d02dc09fbdc118597196a0b32"),
        ("000102030405060708090a0b0c0d0e0f", "00112233445566778899aabbccddeeff", "69c4e0d86a7b0430d8cdb78070b4c55a"),
        ("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "00112233445566778899aabbccddeeff", "8ea2b7ca516745bfeafc49904b496089"),
    ])
    func fips197KnownAnswers(key: String, plaintext: String, ciphertext: String) throws {
        let aes = try AES(key: [UInt8](hex: key))
        #expect(aes.encryptBlock([UInt8](hex: plaintext)).hex == ciphertext)
        #expect(aes.decryptBlock([UInt8](hex: ciphertext)).hex == plaintext)
    }

    static let sp80038aPlaintext = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
        + "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710"

    @Test(arguments: [
        // NIST SP 800-38A F.2.1/F.2.2 (CBC-AES128) and F.2.5/F.2.6 (CBC-AES256).
        ("2b7e151628aed2a6abf7158809cf4f3c",
         "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b273bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7"),
        ("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
         "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b"),
    ])
    func sp80038aCBCKnownAnswers(key: String, ciphertext: String) throws {
        let aes = try AES(key: [UInt8](hex: key))
        let iv = [UInt8](hex: "000102030405060708090a0b0c0d0e0f")
        #expect(try AESCBC.encryptBlocks([UInt8](hex: Self.sp80038aPlaintext), key: aes, iv: iv).hex == ciphertext)
        #expect(try AESCBC.decryptBlocks([UInt8](hex: ciphertext), key: aes, iv: iv).hex == Self.sp80038aPlaintext)
    }

    @Test func pkcs7RoundTripsEveryLengthAndRejectsBadPadding() throws {
        let aes = try AES(key: [UInt8](repeating: 7, count: 16))
        let iv = [UInt8](repeating: 9, count: 16)
        for length in 0...40 {
            let plaintext = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 31) }
            let ciphertext = try AESCBC.encrypt(plaintext, key: aes, iv: iv)
            #expect(ciphertext.count == (length / 16 + 1) * 16)
            #expect(try AESCBC.decrypt(ciphertext, key: aes, iv: iv) == plaintext)
        }
        for last: UInt8 in [0, 17, 255] {
            let block = [UInt8](repeating: 1, count: 15) + [last]
            let ciphertext = try AESCBC.encryptBlocks(block, key: aes, iv: iv)
            #expect(throws: CryptoError.badPadding) { try AESCBC.decrypt(ciphertext, key: aes, iv: iv) }
        }
        let inconsistent = try AESCBC.encryptBlocks([UInt8](repeating: 3, count: 13) + [2, 4, 3], key: aes, iv: iv)
        #expect(throws: CryptoError.badPadding) { try AESCBC.decrypt(inconsistent, key: aes, iv: iv) }
        #expect(throws: CryptoError.self) { try AES(key: [UInt8](repeating: 0, count: 24)) }
        #expect(throws: CryptoError.self) { try AESCBC.decrypt([1, 2, 3], key: aes, iv: iv) }
    }
}
