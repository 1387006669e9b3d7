import OspreyCore
import Testing

@Suite struct DecimalTests {
    func d(_ text: String) -> Decimal { Decimal(text)! }

    @Test(arguments: [
        ("0.00001234", "0.00001234"), ("-12.50", "-12.5"), ("100", "100"), ("+7", "7"), ("1e-8", "0.00000001"),
        ("1.5E3", "1500"), ("0.000", "0"), ("00012.3400", "12.34"), ("123456789012345678.123456789012345678", "123456789012345678.123456789012345678"),
        ("1e-40", "0"), ("-0.05", "-0.05"), ("-.5", "-0.5"), ("12345678901234567890123.5", "12345678901234567890123.5"),
        ("-0.00000000000000000000000000001", "-0.00000000000000000000000000001"),
    ])
    func parsesAndRendersWithoutExponentOrTrailingZeros(_ text: String, _ rendered: String) throws {
        #expect(try #require(Decimal(text)).description == rendered)
    }

    @Test(arguments: ["", "-", ".", "1.2.3", "1,5", "NaN", "inf", "0x10", "1e", "e5", " 1", "1 ", "99999999999999999999999999999999999999999"])
    func rejectsWhatIsNotADecimal(_ text: String) {
        #expect(Decimal(text) == nil)
    }

    @Test func comparesAndHashesByValueAtAnyScale() {
        #expect(d("1.10") == d("1.1") && Set([d("1.10"), d("1.1")]).count == 1)
        #expect(d("0.00000001") < d("0.0000001") && d("-1.5") < d("-1.2") && d("-0.5") < d("0.3"))
        #expect(d("99999999999999999999999999999999999999") > d("0.00000000000000000000000000000000000001"), "no overflow when aligning")
        #expect([d("3"), d("-1"), d("2.5")].sorted() == [d("-1"), d("2.5"), d("3")])
    }

    @Test func exactArithmetic() {
        #expect(d("0.1").adding(d("0.2")) == d("0.3"), "not 0.30000000000000004")
        #expect(d("1").subtracting(d("0.00000001")) == d("0.99999999"))
        #expect(d("0.00001234").multiplied(by: d("1000000")) == d("12.34"))
        #expect(d("1").divided(by: d("3"), scale: 8) == d("0.33333333"))
        #expect(d("2").divided(by: d("3"), scale: 2) == d("0.67"))
        #expect(d("1").divided(by: .zero, scale: 8) == nil, "division by zero is nil, not a crash")
        #expect(d("99999999999999999999999999999999999999").multiplied(by: d("10")) == nil, "overflow is nil")
        #expect(d("110").percentChange(from: d("100")) == d("10") && d("90").percentChange(from: d("100")) == d("-10"))
    }

    @Test func roundingToStepsAndTicksByDirection() {
        #expect(d("1.23456789").toMultiple(of: d("0.001"), .down) == d("1.234"), "LOT_SIZE floors the quantity")
        #expect(d("0.123456").toMultiple(of: d("0.0001"), .up) == d("0.1235"))
        #expect(d("17").toMultiple(of: d("5"), .down) == d("15"))
        #expect(d("-1.25").rounded(scale: 1, .halfUp) == d("-1.3") && d("1.25").rounded(scale: 1, .down) == d("1.2"))
        #expect(d("-1.25").rounded(scale: 1, .down) == d("-1.3") && d("-1.25").rounded(scale: 1, .towardZero) == d("-1.2"))
    }
}
