/// An exact percentage in hundredths of a percent, e.g. one point of the cumulative
/// spending plan (资金支出计划, 3月底/6月底/10月底/12月底).
///
/// Parsed from `"30"`, `"30.5"`, `"30.00"` (at most two decimals), printed `"30.00"`.
/// Parsing does not check the 0–100 range: that is rule V3, reported with every other violation.
public struct Percent: Sendable, Hashable, Comparable {
    /// The value in hundredths of a percent (`30.00%` is `3000`).
    public let hundredths: Int64

    /// A percentage of `hundredths` hundredths of a percent.
    public init(hundredths: Int64) {
        self.hundredths = hundredths
    }

    /// A whole percentage, e.g. `Percent(30)` (for literals; traps beyond `Int64` hundredths).
    public init(_ whole: Int) {
        self.hundredths = Int64(whole) * 100
    }

    /// 0%.
    public static let zero = Percent(hundredths: 0)
    /// 100%, the value the last plan point must reach.
    public static let hundred = Percent(hundredths: 10_000)

    /// Parses `"30"`, `"30.5"`, `"30.00"`, `"-5"`; at most two decimals, nothing rounded.
    public static func parse(_ text: String) throws(MoneyError) -> Percent {
        Percent(hundredths: try ExactDecimal.parse(text, scale: 2))
    }

    public static func < (lhs: Percent, rhs: Percent) -> Bool {
        lhs.hundredths < rhs.hundredths
    }
}

extension Percent: CustomStringConvertible {
    /// Two decimals, as the disclosure prints it: `"30.00"`.
    public var description: String {
        ExactDecimal.format(hundredths, scale: 2, minimumDecimals: 2)
    }
}

extension Percent: Codable {
    /// Decodes the decimal string, e.g. `"30.00"`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try Percent.parse(text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "invalid percentage: \(error.message)")
        }
    }

    /// Encodes the decimal string with two decimals, e.g. `"30.00"`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
