/// The exact fixed-point grammar shared by money, percentages and quantities.
///
/// Grammar: `-?[0-9]+(\.[0-9]+)?`, ASCII digits only, at most `scale` decimals.
/// The result is the value times 10^scale as an `Int64`; nothing is ever rounded.
package enum ExactDecimal {
    package static func parse(_ text: String, scale: Int) throws(MoneyError) -> Int64 {
        // Bulk imports parse hundreds of thousands of amounts: well-formed text takes one pass over
        // its bytes; anything else goes the long way, which names exactly what is wrong.
        var text = text
        if let value = text.withUTF8({ parseWellFormed($0, scale: scale) }) {
            return value
        }
        return try parseReportingErrors(text, scale: scale)
    }

    /// The value of well-formed, in-range text, or nil for anything else (never a different value).
    private static func parseWellFormed(_ bytes: UnsafeBufferPointer<UInt8>, scale: Int) -> Int64? {
        let zero = UInt8(ascii: "0")
        var index = 0
        let negative = index < bytes.count && bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        var magnitude: UInt64 = 0
        func push(_ digit: UInt8) -> Bool {
            let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.addingReportingOverflow(UInt64(digit &- zero))
            magnitude = next
            return !(o1 || o2)
        }
        let wholeStart = index
        while index < bytes.count, bytes[index] &- zero < 10 {
            guard push(bytes[index]) else { return nil }
            index += 1
        }
        guard index > wholeStart else { return nil }
        var decimals = 0
        if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < bytes.count, bytes[index] &- zero < 10 {
                guard push(bytes[index]) else { return nil }
                index += 1
                decimals += 1
            }
            guard decimals > 0 else { return nil }
        }
        guard index == bytes.count, decimals <= scale else { return nil }
        while decimals < scale {
            guard push(zero) else { return nil }
            decimals += 1
        }
        return try? signed(magnitude, negative: negative)
    }

    private static func parseReportingErrors(_ text: String, scale: Int) throws(MoneyError) -> Int64 {
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

    /// Prints `value / 10^scale` with at least `minimumDecimals` decimals (trailing zeros beyond
    /// them are dropped) and a `-` when negative. `minimumDecimals` is at most `scale`.
    static func format(_ value: Int64, scale: Int, minimumDecimals: Int) -> String {
        // Digits written by hand into one small buffer: amounts are printed for every stored row
        // and audit event of a bulk import.
        precondition(scale >= 0 && scale <= 18 && minimumDecimals >= 0 && minimumDecimals <= scale)
        let unit = power10(scale)
        let magnitude = value.magnitude
        var whole = magnitude / unit
        var fraction = magnitude % unit
        var decimals = scale
        while decimals > minimumDecimals && fraction % 10 == 0 {
            fraction /= 10
            decimals -= 1
        }
        // Written right to left into a stack buffer; String(decoding:) of at most 15 bytes is a
        // small string, so printing an amount allocates nothing.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { buffer in
            var end = buffer.count
            for _ in 0..<decimals {
                end -= 1
                buffer[end] = UInt8(ascii: "0") + UInt8(fraction % 10)
                fraction /= 10
            }
            if decimals > 0 {
                end -= 1
                buffer[end] = UInt8(ascii: ".")
            }
            repeat {
                end -= 1
                buffer[end] = UInt8(ascii: "0") + UInt8(whole % 10)
                whole /= 10
            } while whole > 0
            if value < 0 {
                end -= 1
                buffer[end] = UInt8(ascii: "-")
            }
            return String(decoding: UnsafeMutableBufferPointer(rebasing: buffer[end...]), as: UTF8.self)
        }
    }

    static func power10(_ exponent: Int) -> UInt64 {
        var result: UInt64 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }
}
