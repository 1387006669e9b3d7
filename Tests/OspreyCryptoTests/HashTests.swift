import Foundation
import OspreyCrypto
import OspreyTestSupport
import Testing

@Suite struct SHA256Tests {
    @Test(arguments: [
        // NIST FIPS 180-4 examples (SHA256.pdf, SHA2_Additional.pdf).
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func nistVectors(message: String, digest: String) {
        #expect(SHA256.hash(Array(message.utf8)).hex == digest)
    }

    @Test func oneMillionAsInUnevenChunks() {
        var hasher = SHA256()
        var remaining = 1_000_000
        var chunk = 1
        while remaining > 0 {
            let size = min(chunk, remaining)
            hasher.update([UInt8](repeating: UInt8(ascii: "a"), count: size))
            remaining -= size
            chunk = chunk * 3 % 997 + 1
        }
        #expect(hasher.finalize().hex == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func paddingBoundaries() {
        // Lengths around the 55/56/64-byte padding edges, against the one-shot digest of the same bytes fed whole.
        for length in [55, 56, 57, 63, 64, 65, 119, 120, 128] {
            let message = [UInt8](repeating: 0x5A, count: length)
            var split = SHA256()
            split.update(message.prefix(length / 2))
            split.update(message.suffix(length - length / 2))
            #expect(split.finalize() == SHA256.hash(message), "length \(length)")
        }
        // 55, 56 and 64 'Z's: the last length fitting the length field, the first needing a second block, a full block
        // (digests from Python's hashlib).
        #expect(SHA256.hash([UInt8](repeating: 0x5A, count: 55)).hex == "5f25f149aa92e3e13093aed8216072fae623f35e26ca605b6cce17e04b7ccf44")
        #expect(SHA256.hash([UInt8](repeating: 0x5A, count: 56)).hex == "301c69927f1603720c9f847b7e5e3bef77a7b9f75344490fe9039f13c36b842a")
        #expect(SHA256.hash([UInt8](repeating: 0x5A, count: 64)).hex == "cc7321cce5e4409bd8077d58422e1214969059bbd40b4eeb0de0a642f40f7282")
    }
}

@Suite struct HMACTests {
    @Test(arguments: [
        // RFC 4231 test cases 1–7 (case 5 compares the first 128 bits).
        ("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        ("4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        (String(repeating: "aa", count: 20), String(repeating: "dd", count: 50),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        ("0102030405060708090a0b0c0d0e0f10111213141516171819", String(repeating: "cd", count: 50),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        ("0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c", "546573742057697468205472756e636174696f6e",
         "a3b6167473100ee06e0c796c2955552b"),
        (String(repeating: "aa", count: 131),
         "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374",
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        (String(repeating: "aa", count: 131),
         [UInt8]("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".utf8).hex,
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ])
    func rfc4231(key: String, data: String, mac: String) {
        let computed = HMACSHA256.authenticationCode(for: [UInt8](hex: data), key: [UInt8](hex: key)).hex
        #expect(computed.prefix(mac.count) == mac)
    }

    struct BinanceVector: Decodable {
        let source: String
        let secretKey: String
        let payload: String
        let signature: String
    }

    @Test func binanceDocumentedSignatures() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: repositoryFile("Tests/OspreyCryptoTests/Fixtures/binance_hmac_vectors.json")))
        let vectors = try JSONDecoder().decode([BinanceVector].self, from: data)
        #expect(vectors.count == 2)
        for vector in vectors {
            let signature = HMACSHA256.authenticationCode(for: Array(vector.payload.utf8), key: Array(vector.secretKey.utf8))
            #expect(signature.hex == vector.signature, "\(vector.source)")
        }
    }

    @Test func constantTimeEqualityComparesContentAndLength() {
        #expect(constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(!constantTimeEquals([1, 2, 3], [1, 2, 4]))
        #expect(!constantTimeEquals([1, 2, 3], [1, 2]))
        #expect(constantTimeEquals([UInt8](), [UInt8]()))
    }
}

@Suite struct Base64URLTests {
    @Test func roundTripsEveryLengthWithAndWithoutPadding() {
        for length in 0...70 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 151 &+ 7) }
            let padded = Base64URL.encode(bytes)
            #expect(padded == Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_"))
            #expect(Base64URL.decode(padded) == bytes)
            #expect(Base64URL.decode(Base64URL.encode(bytes, padded: false)) == bytes)
        }
    }

    @Test(arguments: ["a", "ab=c", "a+bc", "ab/c", "abc!", "ab==c", "====", "abc\n", "YQ=", "YR==", "YWJ=", "é"])
    func rejectsInvalidText(text: String) {
        #expect(Base64URL.decode(text) == nil, "\(text)")
    }
}
