import OspreyCore
import OspreyNet
import Testing

@Suite struct JSONTests {
    func parse(_ text: String) throws -> JSON { try JSON.parse(Array(text.utf8)) }

    @Test func numbersStayExactText() throws {
        let document = try parse(#"{"priceUsd":"0.00001234","volume":{"h24":1234567.891234567891},"n":-0,"e":1.5e-7,"list":[1,2]}"#)
        #expect(document["priceUsd"]?.decimal == Decimal("0.00001234"))
        #expect(document["volume"]?["h24"]?.decimal?.description == "1234567.891234567891", "all 18 decimals, no float rounding")
        #expect(document["e"]?.decimal == Decimal("0.00000015"))
        #expect(document["list"]?.array?.count == 2 && document["n"]?.numberText == "-0" && document["n"]?.integer == 0)
        #expect(document["missing"] == nil && document["priceUsd"]?.array == nil)
    }

    @Test func stringsWithEscapesAndUnicode() throws {
        let document = try parse(#"["a\"b\\c\/d\n", "\u00e9\ud83d\ude80", "plain ünïcode", ""]"#)
        #expect(document.array?.compactMap(\.string) == ["a\"b\\c/d\n", "é🚀", "plain ünïcode", ""])
    }

    @Test(arguments: [
        (#"{"pairs":[{"a":1},"#, 18, "the document ends early (expected a value)"),
        (#"{"a":1}x"#, 7, "unexpected data after the document"),
        (#"{"a":NaN}"#, 5, "unexpected character 'N'"),
        (#"[01]"#, 3, "a number has a leading zero"),
        (#"["\x"]"#, 3, "an invalid escape"),
        (#"{"a" 1}"#, 5, "expected ':'"),
        (#"["\ud800"]"#, 8, "an unpaired surrogate"),
        (#"["\udc00"]"#, 8, "an unpaired surrogate"),
        ("", 0, "the document ends early (expected a value)"),
    ])
    func malformedInputIsAnErrorWithItsOffset(_ text: String, _ offset: Int, _ reason: String) {
        do {
            _ = try parse(text)
            Issue.record("accepted \(text)")
        } catch let error as JSONError {
            #expect(error.offset == offset && error.reason == reason, "\(error)")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func aViewReadsMembersInOnePassAndMatchesEscapedNames() throws {
        let document = try parse(#"{"a":1,"b\u0061d":"x","list":[true,null,{"k":2}],"a":3}"#)
        let seen = document.withView { root in
            var seen: [String] = []
            root.forEachMember { key, value in
                switch key {
                case "a": seen.append("a=\(value.integer ?? -1)")
                case "bad": seen.append("bad=\(value.string ?? "?")")
                case "list": seen.append("list×\(value.count)")
                default: seen.append("other")
                }
            }
            return seen
        }
        #expect(seen == ["a=1", "bad=x", "list×3", "a=3"], "document order, the escaped name compared decoded")
        #expect(document.withView { $0.count } == 4 && document.withView { $0["list"]?.isArray } == true && document["a"]?.integer == 1)
    }

    /// Strings are scanned eight bytes at a time: a quote, a backslash or a control character must be found
    /// wherever it falls in a word, and bytes of multibyte characters (0x80 and up) must not look like one.
    @Test func stringEndsEscapesAndControlCharactersAreFoundAtEveryPositionInAWord() throws {
        for length in 0..<20 {
            let text = String(repeating: "é", count: length / 2) + String(repeating: "a", count: length % 2)
            #expect(try parse("[\"\(text)\",1]").array?.first?.string == text)
            #expect(try parse("[\"\(text)\\\"x\"]").array?.first?.string == text + "\"x")
            let control = "[\"\(text)\u{01}\"]"
            malformedInputIsAnErrorWithItsOffset(control, control.utf8.count - 3, "a control character in a string")
            malformedInputIsAnErrorWithItsOffset("[\"\(text)", text.utf8.count + 2, "the document ends early (an unterminated string)")
        }
        #expect(try parse(#"{"\u00ff\u20ac": "\u00ff\u20ac ~\u007f"}"#)["ÿ€"]?.string == "ÿ€ ~\u{7F}", "bytes 0x7F–0xFF are text")
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONError.self) { try parse(deep) }
        for depth in 1...63 {  // one node per byte while the containers stay open: the tape's densest case
            malformedInputIsAnErrorWithItsOffset(String(repeating: "[", count: depth), depth, "the document ends early (expected a value)")
            malformedInputIsAnErrorWithItsOffset(String(repeating: #"{"":"#, count: depth), depth * 4, "the document ends early (expected a value)")
        }
        malformedInputIsAnErrorWithItsOffset(String(repeating: "[", count: 65), 64, "nested deeper than 64 levels")
    }
}
