import Foundation
import Workflow

/// RFC 4180 CSV: fields separated by commas, records ended by CRLF; a field containing a comma,
/// a double quote, CR or LF is enclosed in double quotes with inner quotes doubled. UTF-8; the
/// byte-order mark, where a download wants one, is the caller's (``byteOrderMark``).
///
/// Safe to open in a spreadsheet: a cell a spreadsheet would take for a formula (first character
/// `=`, `+`, `-`, `@`, tab or CR; OWASP "CSV injection") is written with a leading `'`, unless it
/// is a plain decimal number such as the decrease `-12.50`, which is left as it is.
enum CSVText {
    /// UTF-8's byte-order mark, which tells Excel the file is UTF-8 (without it, Chinese is garbled).
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The whole file: the header, then the rows.
    static func document(header: [String], rows: [[String]]) -> String {
        ([header] + rows).map(record).joined()
    }

    /// One record, ending in CRLF.
    static func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    static func field(_ value: String) -> String {
        let value = neutralized(value)
        // unicodeScalars, because "\r\n" is one Character and would hide from a Character search.
        let needsQuotes = value.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `value`, with a leading `'` when a spreadsheet would read it as a formula.
    static func neutralized(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, formulaStarts.contains(first), !isPlainNumber(value) else { return value }
        return "'" + value
    }

    private static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// `-?digits(.digits)?`: how the disclosure writes amounts, changes and quantities.
    static func isPlainNumber(_ value: String) -> Bool {
        var digits = value.utf8[...]
        if digits.first == UInt8(ascii: "-") { digits = digits.dropFirst() }
        let parts = digits.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { return false }
        return parts.allSatisfy { part in !part.isEmpty && part.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } }
    }
}
