import Foundation
import Testing
import Workflow
import WorkflowFixtures

@Suite("Money")
struct MoneyTests {
    @Test("parses decimal yuan exactly", arguments: [
        ("0", Int64(0)), ("0.1", 10), ("0.10", 10), ("0.5", 50), ("12", 1200), ("150000.00", 15_000_000),
        ("-0.50", -50), ("-0", 0), ("007.05", 705), ("0.01", 1),
        ("92233720368547758.07", Int64.max), ("-92233720368547758.08", Int64.min),
    ])
    func parses(text: String, fen: Int64) throws {
        #expect(try Money.parse(text) == Money(fen: fen))
    }

    @Test("refuses what is not exact decimal yuan", arguments: [
        ("0.001", MoneyError.tooManyDecimals(allowed: 2)),
        ("0.100", .tooManyDecimals(allowed: 2)),
        ("1e5", .exponent), ("1E5", .exponent), ("1e309", .exponent), ("2.5e-3", .exponent),
        ("", .empty),
        (" 1", .invalidCharacter(" ")), ("1 ", .invalidCharacter(" ")), ("1\t", .invalidCharacter("\t")),
        ("1,000", .invalidCharacter(",")), ("+1", .invalidCharacter("+")), ("１２", .invalidCharacter("１")),
        ("NaN", .invalidCharacter("N")), ("0x10", .invalidCharacter("x")), ("¥5", .invalidCharacter("¥")),
        ("-", .malformed), (".", .malformed), ("5.", .malformed), (".5", .malformed), ("-.5", .malformed),
        ("1.2.3", .malformed), ("--1", .malformed), ("1-", .malformed), ("1-2", .malformed),
        ("92233720368547758.08", .overflow), ("-92233720368547758.09", .overflow),
        ("99999999999999999999", .overflow), ("100000000000000000000.00", .overflow),
    ])
    func refuses(text: String, error: MoneyError) {
        #expect(throws: error) { try Money.parse(text) }
    }

    @Test("error messages name what is wrong")
    func messages() {
        #expect(MoneyError.tooManyDecimals(allowed: 2).message.contains("more than 2 decimals"))
        #expect(MoneyError.invalidCharacter(",").message.contains("','"))
        #expect(MoneyError.invalidCharacter(" ").message.contains("whitespace (U+0020)"))
        #expect(MoneyError.exponent.message.contains("exponent"))
        #expect(MoneyError.overflow.message.contains("out of range"))
        #expect(MoneyError.empty.message.contains("empty"))
    }

    @Test("prints yuan with exactly two decimals", arguments: [
        (Int64(0), "0.00"), (5, "0.05"), (10, "0.10"), (-50, "-0.50"), (-1, "-0.01"), (15_000_000, "150000.00"),
        (Int64.max, "92233720368547758.07"), (Int64.min, "-92233720368547758.08"),
    ])
    func prints(fen: Int64, text: String) {
        #expect(Money(fen: fen).yuanString == text)
        #expect(Money(fen: fen).description == text)
    }

    @Test("parse and print round-trip", arguments: [Int64.min, -100_001, -1, 0, 1, 99, 100, 101, 1_012_490_000, Int64.max])
    func roundTrip(fen: Int64) throws {
        #expect(try Money.parse(Money(fen: fen).yuanString) == Money(fen: fen))
    }

    @Test("万元: rounded half-up once from exact fen", arguments: [
        ("10124900.00", "1012.49"), ("51000.00", "5.10"), ("8350700.00", "835.07"), ("957400.00", "95.74"),
        ("49.99", "0.00"), ("50.00", "0.01"), ("99.99", "0.01"), ("149.99", "0.01"), ("150.00", "0.02"),
        ("0.00", "0.00"), ("-49.99", "0.00"), ("-50.00", "-0.01"), ("-150.00", "-0.02"),
        ("92233720368547758.07", "9223372036854.78"), ("-92233720368547758.08", "-9223372036854.78"),
    ])
    func wanYuan(yuanText: String, wan: String) {
        #expect(yuan(yuanText).wanYuanString() == wan)
    }

    @Test("4999 fen is 0.00万, 5000 fen rounds up to 0.01万")
    func wanYuanFenBoundary() {
        #expect(Money(fen: 4999).wanYuanString() == "0.00")
        #expect(Money(fen: 5000).wanYuanString() == "0.01")
    }

    @Test("checked arithmetic throws on overflow instead of trapping")
    func checkedArithmetic() throws {
        #expect(try yuan("1.10").adding(yuan("2.25")) == yuan("3.35"))
        #expect(try yuan("1.10").subtracting(yuan("2.25")) == yuan("-1.15"))
        #expect(throws: MoneyError.overflow) { try Money(fen: .max).adding(Money(fen: 1)) }
        #expect(throws: MoneyError.overflow) { try Money(fen: .min).subtracting(Money(fen: 1)) }
        #expect(try Money.sum([Money]()) == .zero)
        #expect(try Money.sum([yuan("0.10"), yuan("0.20"), yuan("-0.05")]) == yuan("0.25"))
        #expect(throws: MoneyError.overflow) { try Money.sum([Money(fen: .max), Money(fen: 1), Money(fen: -5)]) }
        #expect(yuan("0.10") + yuan("0.20") == yuan("0.30"))
        #expect(yuan("0.10") - yuan("0.20") == yuan("-0.10"))
    }

    @Test("ordering follows the amount")
    func ordering() {
        #expect(yuan("-1.00") < .zero)
        #expect(yuan("0.99") < yuan("1.00"))
        #expect([yuan("3"), yuan("-2"), yuan("1")].sorted() == [yuan("-2"), yuan("1"), yuan("3")])
        #expect(yuan("-0.01").isNegative)
        #expect(!Money.zero.isNegative)
    }

    @Test("JSON is the decimal yuan string, never a number")
    func codable() throws {
        let data = try JSONEncoder().encode([yuan("150000.00"), yuan("-0.5")])
        #expect(String(decoding: data, as: UTF8.self) == #"["150000.00","-0.50"]"#)
        #expect(try JSONDecoder().decode([Money].self, from: Data(#"["12","0.5"]"#.utf8)) == [yuan("12.00"), yuan("0.50")])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Money].self, from: Data("[150000.5]".utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Money].self, from: Data(#"["1.001"]"#.utf8)) }
    }
}
