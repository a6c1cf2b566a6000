import Foundation
import Testing
import Workflow
import WorkflowFixtures

@Suite("Percent and Quantity")
struct PercentQuantityTests {
    @Test("percentages parse exactly and print with two decimals", arguments: [
        ("30", Int64(3000), "30.00"), ("30.5", 3050, "30.50"), ("30.00", 3000, "30.00"), ("100", 10_000, "100.00"),
        ("0", 0, "0.00"), ("-5", -500, "-5.00"), ("99.99", 9999, "99.99"),
    ])
    func percent(text: String, hundredths: Int64, printed: String) throws {
        let value = try Percent.parse(text)
        #expect(value == Percent(hundredths: hundredths))
        #expect(value.description == printed)
    }

    @Test("percentages refuse a third decimal and non-numbers")
    func percentErrors() {
        #expect(throws: MoneyError.tooManyDecimals(allowed: 2)) { try Percent.parse("33.333") }
        #expect(throws: MoneyError.invalidCharacter("%")) { try Percent.parse("30%") }
        #expect(throws: MoneyError.empty) { try Percent.parse("") }
        #expect(Percent(30) == Percent(hundredths: 3000))
        #expect(Percent.hundred == Percent(100))
    }

    @Test("quantities parse up to four decimals and print the shortest exact form", arguments: [
        ("6", Int64(60_000), "6"), ("5.00", 50_000, "5"), ("2.5", 25_000, "2.5"), ("0.0001", 1, "0.0001"),
        ("-1.25", -12_500, "-1.25"), ("0", 0, "0"),
    ])
    func quantity(text: String, tenThousandths: Int64, printed: String) throws {
        let value = try Quantity.parse(text)
        #expect(value == Quantity(tenThousandths: tenThousandths))
        #expect(value.description == printed)
    }

    @Test("quantities refuse a fifth decimal")
    func quantityErrors() {
        #expect(throws: MoneyError.tooManyDecimals(allowed: 4)) { try Quantity.parse("0.00001") }
        #expect(throws: MoneyError.exponent) { try Quantity.parse("1e3") }
    }

    @Test("quantity × price rounds half-up (away from zero) to the fen", arguments: [
        ("6", "5000.00", "30000.00"), ("5.00", "2000.00", "10000.00"), ("0.3333", "1.00", "0.33"),
        ("0.5", "0.01", "0.01"), ("0.4999", "0.01", "0.00"), ("1.5", "0.03", "0.05"), ("1.4999", "0.03", "0.04"),
        ("-0.5", "0.01", "-0.01"), ("0.5", "-0.01", "-0.01"), ("-0.5", "-0.01", "0.01"), ("0", "5.00", "0.00"),
        ("2.5", "0.00", "0.00"),
    ])
    func times(quantity: String, price: String, amount: String) throws {
        let product = try Quantity.parse(quantity).times(yuan(price))
        #expect(product == yuan(amount))
        #expect(try Quantity.parse(quantity).checkedTimes(yuan(price)) == yuan(amount))
    }

    @Test("large products are exact; overflowing ones throw or clamp, never trap")
    func overflow() throws {
        #expect(try Quantity(1_000_000).checkedTimes(Money(fen: 9_223_372_036_854)) == Money(fen: 9_223_372_036_854_000_000))
        let huge = Quantity(tenThousandths: .max)
        #expect(throws: MoneyError.overflow) { try huge.checkedTimes(Money(fen: .max)) }
        #expect(throws: MoneyError.overflow) { try Quantity(2).checkedTimes(Money(fen: .max)) }
        #expect(huge.times(Money(fen: .max)) == Money(fen: .max))
        #expect(huge.times(Money(fen: -20_000)) == Money(fen: .min))
        #expect(huge.times(Money(fen: -2)) == Money(fen: -1_844_674_407_370_955))
        #expect(Quantity(1).times(Money(fen: .min)) == Money(fen: .min))
    }

    @Test("JSON uses exact decimal strings")
    func codable() throws {
        let data = try JSONEncoder().encode(ProcurementItem(
            item: "台式计算机", catalog: "A02010104", unit: "台", quantity: Quantity(6), price: yuan("5000.00")))
        let json = try #require(JSONSerialization.jsonObject(with: data) as? [String: String])
        #expect(json == [
            "item": "台式计算机", "catalog": "A02010104", "unit": "台", "quantity": "6", "price": "5000.00", "amount": "30000.00",
        ])
        #expect(try JSONDecoder().decode([Percent].self, from: Data(#"["30","60.5"]"#.utf8)) == [Percent(30), Percent(hundredths: 6050)])
        #expect(String(decoding: try JSONEncoder().encode(plan(30, 100)), as: UTF8.self) == #"["30.00","100.00"]"#)
    }
}
