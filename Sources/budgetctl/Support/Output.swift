import Foundation
import Persistence
import Workflow

/// Printing for people and for scripts.
enum Output {
    /// JSON with sorted keys (stable for diffs and scripts); the domain types encode themselves in snake_case.
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let text = String(decoding: try encoder.encode(value), as: UTF8.self)
        // Foundation pretty-prints an empty array or object across lines.
        return text == "[\n\n]" ? "[]" : text == "{\n\n}" ? "{}" : text
    }

    static func printJSON(_ value: some Encodable) throws {
        print(try json(value))
    }

    /// A message for people on stderr, so stdout stays clean for the data.
    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Local date and time to the second, e.g. `2020-01-15 16:30:00`.
    static func time(_ timestamp: Timestamp) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: timestamp.date)
    }

    /// A short age: `45s`, `12m`, `5h 12m`, `3d 4h`.
    static func age(seconds: Int64) -> String {
        let s = max(0, seconds)
        switch s {
        case ..<60: return "\(s)s"
        case ..<3600: return "\(s / 60)m"
        case ..<86_400: return "\(s / 3600)h \(s % 3600 / 60)m"
        default: return "\(s / 86_400)d \(s % 86_400 / 3600)h"
        }
    }
}

extension Money {
    /// Yuan with thousands separators and two decimals, e.g. `1,500,000.00`.
    var groupedYuan: String {
        let plain = yuanString
        let negative = plain.hasPrefix("-")
        let unsigned = negative ? String(plain.dropFirst()) : plain
        let parts = unsigned.split(separator: ".", maxSplits: 1)
        var integer = ""
        for (i, digit) in parts[0].reversed().enumerated() {
            if i > 0 && i % 3 == 0 { integer.append(",") }
            integer.append(digit)
        }
        return (negative ? "-" : "") + String(integer.reversed()) + (parts.count > 1 ? "." + parts[1] : "")
    }
}
