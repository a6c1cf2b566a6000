/// Why a decimal text is not an exact amount (金额格式错误).
///
/// Thrown by ``Money/parse(_:)`` and, because they share the same exact-decimal grammar
/// (`-?digits(.digits)?`, ASCII only), by ``Percent/parse(_:)`` and ``Quantity/parse(_:)``.
/// Nothing is ever rounded: a text that does not fit exactly is an error.
public enum MoneyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text is empty.
    case empty
    /// The text contains a character outside `0-9`, `.` and a leading `-` (spaces, `,`, `+`, full-width digits…).
    case invalidCharacter(Character)
    /// Exponent notation such as `1e5`, which could hide an arbitrary magnitude.
    case exponent
    /// The characters are allowed but not in this order: `-`, `.`, `5.`, `.5`, `1.2.3`, `1-2`.
    case malformed
    /// More decimals than the unit allows (two for money and percentages, four for quantities).
    case tooManyDecimals(allowed: Int)
    /// The value does not fit in 64 bits of the smallest unit (fen for money).
    case overflow

    /// A human sentence naming what is wrong, without echoing the whole input.
    public var message: String {
        switch self {
        case .empty:
            return "the number is empty"
        case .invalidCharacter(let character):
            let scalars = character.unicodeScalars
                .map { "U+" + String($0.value, radix: 16, uppercase: true).leftPadded(to: 4) }
                .joined(separator: " ")
            if character.isWhitespace {
                return "the number contains whitespace (\(scalars)); write digits only"
            }
            return "the number contains the character '\(character)' (\(scalars)); only digits, one '.' and a leading '-' are allowed"
        case .exponent:
            return "exponent notation (e.g. 1e5) is not allowed; write the number out in full"
        case .malformed:
            return "the number is malformed; expected digits, optionally a leading '-' and a '.' followed by digits"
        case .tooManyDecimals(let allowed):
            return "the number has more than \(allowed) decimals; it is never rounded"
        case .overflow:
            return "the number is out of range"
        }
    }

    public var description: String { message }
}

extension String {
    package func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
