import Workflow

/// An exact amount shown in 万元 (ten thousand yuan), as every figure of the disclosure is.
///
/// It keeps the exact ``Money`` so that totals are summed in fen first; only ``description`` (and
/// the JSON and every rendering) rounds, half-up and once, through ``Money/wanYuanString()``.
/// Decoding reads the two-decimal 万元 text back, so a decoded value is the shown figure exactly.
public struct WanYuan: Sendable, Hashable, Comparable {
    /// The exact amount.
    public var money: Money

    /// The amount `money`, to be shown in 万元.
    public init(_ money: Money) {
        self.money = money
    }

    /// 0万元.
    public static let zero = WanYuan(.zero)

    /// The figure rounded to hundredths of 万元 (what is printed), e.g. `101249` for 1012.49万元.
    var shownHundredths: Int64 {
        // The printed text is the single source of the rounding; it always parses.
        (try? ExactDecimal.parse(description, scale: 2)) ?? 0
    }

    /// Whether the amount is below zero.
    public var isNegative: Bool { money.isNegative }

    public static func < (lhs: WanYuan, rhs: WanYuan) -> Bool {
        lhs.money < rhs.money
    }
}

extension WanYuan: CustomStringConvertible {
    /// Two decimals in 万元, rounded half-up once from the exact fen: `"1012.49"`, `"-0.50"`.
    public var description: String { money.wanYuanString() }
}

extension WanYuan: Codable {
    /// Reads a 万元 decimal string with at most two decimals, e.g. `"1012.49"`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        let hundredths: Int64
        do {
            hundredths = try ExactDecimal.parse(text, scale: 2)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "invalid 万元 amount: \(error.message)")
        }
        // 0.01万元 = 100 yuan = 10 000 fen.
        let (fen, overflow) = hundredths.multipliedReportingOverflow(by: 10_000)
        if overflow {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "万元 amount out of range: \(text)")
        }
        money = Money(fen: fen)
    }

    /// Writes the two-decimal 万元 string, e.g. `"1012.49"`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
