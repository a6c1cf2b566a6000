/// An exact amount of money in fen (分), the smallest unit of the yuan (元).
///
/// Money never touches floating point: it is parsed from decimal yuan text with at most
/// two decimals, stored as integer fen, and printed back exactly. On the wire (JSON, BLP)
/// it is the decimal yuan string, e.g. `"150000.00"`.
public struct Money: Sendable, Hashable, Comparable {
    /// The amount in fen (1 元 = 100 分).
    public let fen: Int64

    /// An amount of `fen` fen.
    public init(fen: Int64) {
        self.fen = fen
    }

    /// Zero yuan.
    public static let zero = Money(fen: 0)

    /// Parses decimal yuan: `"150000.00"`, `"0.5"`, `"12"`, `"-0.50"`.
    ///
    /// A third decimal, exponents, spaces, separators, a `+` sign, an empty text or an amount
    /// beyond `Int64` fen are errors; nothing is rounded.
    public static func parse(_ text: String) throws(MoneyError) -> Money {
        Money(fen: try ExactDecimal.parse(text, scale: 2))
    }

    /// The amount in yuan with exactly two decimals, e.g. `"150000.00"`, `"-0.50"`.
    public var yuanString: String {
        ExactDecimal.format(fen, scale: 2, minimumDecimals: 2)
    }

    /// The amount in 万元 (ten thousand yuan) with two decimals, as the published disclosure
    /// shows it: rounded half-up (away from zero) once, from the exact fen.
    ///
    /// `10124900.00` yuan → `"1012.49"`, `51000.00` → `"5.10"`, `50.00` → `"0.01"`, `49.99` → `"0.00"`.
    /// An amount that rounds to zero prints `"0.00"`, never `"-0.00"`.
    public func wanYuanString() -> String {
        // 0.01 万元 = 100 元 = 10 000 fen.
        let step: UInt64 = 10_000
        let magnitude = fen.magnitude
        let rounded = magnitude / step + (magnitude % step >= step / 2 ? 1 : 0)
        let sign = fen < 0 && rounded > 0 ? "-" : ""
        return sign + String(rounded / 100) + "." + String(rounded % 100).leftPadded(to: 2)
    }

    /// Whether the amount is below zero.
    public var isNegative: Bool { fen < 0 }

    public static func < (lhs: Money, rhs: Money) -> Bool {
        lhs.fen < rhs.fen
    }
}

extension Money: CustomStringConvertible {
    /// Same as ``yuanString``.
    public var description: String { yuanString }
}

// MARK: - Arithmetic

extension Money {
    /// The exact sum, or ``MoneyError/overflow``.
    public func adding(_ other: Money) throws(MoneyError) -> Money {
        let (result, overflow) = fen.addingReportingOverflow(other.fen)
        if overflow { throw .overflow }
        return Money(fen: result)
    }

    /// The exact difference, or ``MoneyError/overflow``.
    public func subtracting(_ other: Money) throws(MoneyError) -> Money {
        let (result, overflow) = fen.subtractingReportingOverflow(other.fen)
        if overflow { throw .overflow }
        return Money(fen: result)
    }

    /// The exact sum of `amounts` (zero when empty), or ``MoneyError/overflow``.
    public static func sum<S: Sequence>(_ amounts: S) throws(MoneyError) -> Money where S.Element == Money {
        var total = Money.zero
        for amount in amounts {
            total = try total.adding(amount)
        }
        return total
    }

    /// Adds, trapping on overflow. Use only where validation bounds the operands
    /// (e.g. amounts of validated entries, each at most 10¹² yuan); otherwise use ``adding(_:)``.
    public static func + (lhs: Money, rhs: Money) -> Money {
        Money(fen: lhs.fen + rhs.fen)
    }

    /// Subtracts, trapping on overflow. Same caveat as ``+(_:_:)``.
    public static func - (lhs: Money, rhs: Money) -> Money {
        Money(fen: lhs.fen - rhs.fen)
    }

    /// Adds, clamping at the `Int64` bounds instead of trapping. Only for totals of data that is
    /// not yet validated: any clamped value is far beyond the V1 limit and is reported there.
    func saturatingAdding(_ other: Money) -> Money {
        let (result, overflow) = fen.addingReportingOverflow(other.fen)
        if !overflow { return Money(fen: result) }
        return Money(fen: other.fen > 0 ? .max : .min)
    }
}

// MARK: - Codable

extension Money: Codable {
    /// Decodes the decimal yuan string; a JSON number is refused (it may have passed through a double).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try Money.parse(text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "invalid amount: \(error.message)")
        }
    }

    /// Encodes the decimal yuan string, e.g. `"150000.00"`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(yuanString)
    }
}
