/// The exact fixed-point grammar shared by money, percentages and quantities.
///
/// Grammar: `-?[0-9]+(\.[0-9]+)?`, ASCII digits only, at most `scale` decimals.
/// The result is the value times 10^scale as an `Int64`; nothing is ever rounded.
enum ExactDecimal {
    static func parse(_ text: String, scale: Int) throws(MoneyError) -> Int64 {
        if text.isEmpty { throw .empty }
        // Report the first foreign character before judging the shape, so "1 000"
        // says "whitespace" rather than "malformed".
        for character in text where !(character.isASCII && "0123456789.-".contains(character)) {
            if character == "e" || character == "E" { throw .exponent }
            throw .invalidCharacter(character)
        }
        var bytes = Substring(text).utf8[...]
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { bytes = bytes.dropFirst() }
        let parts = bytes.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : Substring("").utf8[...]
        let isDigits = { (part: Substring.UTF8View.SubSequence) in
            part.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        }
        guard !whole.isEmpty, isDigits(whole), parts.count == 1 || !fraction.isEmpty, isDigits(fraction) else {
            throw .malformed
        }
        guard fraction.count <= scale else { throw .tooManyDecimals(allowed: scale) }

        // Accumulate the magnitude unsigned so that Int64.min stays representable.
        var magnitude: UInt64 = 0
        let digits = Array(whole) + Array(fraction) + Array(repeating: UInt8(ascii: "0"), count: scale - fraction.count)
        for digit in digits {
            let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.addingReportingOverflow(UInt64(digit - UInt8(ascii: "0")))
            if o1 || o2 { throw .overflow }
            magnitude = next
        }
        return try signed(magnitude, negative: negative)
    }

    /// Applies a sign to a magnitude, throwing when it does not fit in `Int64`.
    static func signed(_ magnitude: UInt64, negative: Bool) throws(MoneyError) -> Int64 {
        if negative {
            if magnitude == UInt64(Int64.max) + 1 { return Int64.min }
            guard magnitude <= UInt64(Int64.max) else { throw .overflow }
            return -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { throw .overflow }
        return Int64(magnitude)
    }

    /// Prints `value / 10^scale` with exactly `decimals` decimals (`decimals <= scale`
    /// only trims zeros that the caller knows are there) and a `-` when negative.
    static func format(_ value: Int64, scale: Int, minimumDecimals: Int) -> String {
        let unit = power10(scale)
        let magnitude = value.magnitude
        var fraction = String(magnitude % unit).leftPadded(to: scale)
        while fraction.count > minimumDecimals, fraction.last == "0" { fraction.removeLast() }
        let sign = value < 0 ? "-" : ""
        let whole = String(magnitude / unit)
        return fraction.isEmpty ? sign + whole : sign + whole + "." + fraction
    }

    static func power10(_ exponent: Int) -> UInt64 {
        var result: UInt64 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }
}
