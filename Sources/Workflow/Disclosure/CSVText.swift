import Foundation

/// RFC 4180 CSV: fields separated by commas, records ended by CRLF; a field containing a comma,
/// a double quote, CR or LF is enclosed in double quotes with inner quotes doubled. UTF-8, no BOM.
enum CSVText {
    /// The whole file: the header, then the rows.
    static func document(header: [String], rows: [[String]]) -> String {
        ([header] + rows).map(record).joined()
    }

    /// One record, ending in CRLF.
    static func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    static func field(_ value: String) -> String {
        // unicodeScalars, because "\r\n" is one Character and would hide from a Character search.
        let needsQuotes = value.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
