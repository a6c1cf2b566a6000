/// An exact procurement quantity (政府采购数量) in ten-thousandths, e.g. `6` 台 or `2.5` 吨.
///
/// At most four decimals. Parsing accepts zero and negatives so that rule V5 (quantity > 0)
/// reports them together with every other violation.
public struct Quantity: Sendable, Hashable, Comparable {
    /// The quantity in ten-thousandths (`6` is `60_000`).
    public let tenThousandths: Int64

    /// A quantity of `tenThousandths` ten-thousandths.
    public init(tenThousandths: Int64) {
        self.tenThousandths = tenThousandths
    }

    /// A whole quantity, e.g. `Quantity(6)` (for literals; traps beyond `Int64` ten-thousandths).
    public init(_ whole: Int) {
        self.tenThousandths = Int64(whole) * 10_000
    }

    /// Parses `"6"`, `"5.00"`, `"0.0001"`; at most four decimals, nothing rounded.
    public static func parse(_ text: String) throws(MoneyError) -> Quantity {
        Quantity(tenThousandths: try ExactDecimal.parse(text, scale: 4))
    }

    /// Whether the quantity is above zero (rule V5).
    public var isPositive: Bool { tenThousandths > 0 }

    /// quantity × unit price, rounded half-up (away from zero) to the fen.
    ///
    /// Never traps: a product beyond `Int64` fen is clamped to the nearest bound, which is far
    /// beyond the V1 limit and therefore always reported by validation. Use
    /// ``checkedTimes(_:)`` where an exact result or an error is needed.
    public func times(_ price: Money) -> Money {
        do {
            return try checkedTimes(price)
        } catch {
            let negative = (tenThousandths < 0) != (price.fen < 0)
            return Money(fen: negative ? .min : .max)
        }
    }

    /// quantity × unit price, rounded half-up (away from zero) to the fen, or ``MoneyError/overflow``.
    public func checkedTimes(_ price: Money) throws(MoneyError) -> Money {
        // 128-bit product of the magnitudes, so that no intermediate value overflows.
        let scale: UInt64 = 10_000
        let product = tenThousandths.magnitude.multipliedFullWidth(by: price.fen.magnitude)
        let (low, carry) = product.low.addingReportingOverflow(scale / 2)
        let high = product.high + (carry ? 1 : 0)
        // dividingFullWidth traps when the quotient needs more than 64 bits.
        guard high < scale else { throw .overflow }
        let (quotient, _) = scale.dividingFullWidth((high: high, low: low))
        let negative = (tenThousandths < 0) != (price.fen < 0)
        return Money(fen: try ExactDecimal.signed(quotient, negative: negative && quotient != 0))
    }

    public static func < (lhs: Quantity, rhs: Quantity) -> Bool {
        lhs.tenThousandths < rhs.tenThousandths
    }
}

extension Quantity: CustomStringConvertible {
    /// The shortest exact form: `"6"`, `"2.5"`, `"0.0001"`.
    public var description: String {
        ExactDecimal.format(tenThousandths, scale: 4, minimumDecimals: 0)
    }
}

extension Quantity: Codable {
    /// Decodes the decimal string, e.g. `"6"` or `"2.5"`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try Quantity.parse(text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "invalid quantity: \(error.message)")
        }
    }

    /// Encodes the shortest exact decimal string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
