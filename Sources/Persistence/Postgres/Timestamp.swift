import Foundation

/// A `timestamptz` exact to the microsecond (PostgreSQL's resolution); `Date` would round it.
package struct Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    package var microsecondsSinceEpoch: Int64

    package init(microsecondsSinceEpoch: Int64) { self.microsecondsSinceEpoch = microsecondsSinceEpoch }

    package init(_ date: Date) {
        microsecondsSinceEpoch = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    package static func now() -> Timestamp { Timestamp(Date()) }

    package var date: Date { Date(timeIntervalSince1970: Double(microsecondsSinceEpoch) / 1_000_000) }

    /// JSON and other Codable formats carry the ISO 8601 text, exact to the microsecond.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Timestamp(postgresISO: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 timestamp: \(text)")
        }
        self = value
    }

    package static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.microsecondsSinceEpoch < rhs.microsecondsSinceEpoch
    }

    /// ISO 8601 in UTC with six fractional digits, e.g. `2020-01-15T08:30:00.000001Z`.
    package var description: String { format(dateSeparator: "T", zone: "Z") }

    func format(dateSeparator: String, zone: String) -> String {
        let (days, micros) = microsecondsSinceEpoch.floorDivided(by: 86_400_000_000)
        let (y, m, d) = Self.civil(fromDays: days)
        let seconds = micros / 1_000_000
        let fraction = micros % 1_000_000
        let year = y < 0 ? String(format: "-%04lld", -y) : String(format: "%04lld", y)
        return year + String(
            format: "-%02lld-%02lld%@%02lld:%02lld:%02lld.%06lld%@",
            m, d, dateSeparator, seconds / 3600, seconds / 60 % 60, seconds % 60, fraction, zone)
    }

    /// Parses PostgreSQL's ISO output (`2020-01-15 08:30:00.5+00`, `…+08:00`, `…-05:30:15`).
    package init?(postgresISO text: String) {
        let bytes = Array(text.utf8)
        var i = 0
        func number(_ count: Int) -> Int64? {
            guard i + count <= bytes.count else { return nil }
            var value: Int64 = 0
            for b in bytes[i..<i + count] {
                guard b >= 48, b <= 57 else { return nil }
                value = value * 10 + Int64(b - 48)
            }
            i += count
            return value
        }
        func expect(_ c: Character) -> Bool {
            guard i < bytes.count, bytes[i] == c.asciiValue! else { return false }
            i += 1
            return true
        }
        var yearDigits = 0
        while i + yearDigits < bytes.count, (48...57).contains(bytes[i + yearDigits]) { yearDigits += 1 }
        guard yearDigits >= 4, let year = number(yearDigits), expect("-"), let month = number(2), expect("-"),
              let day = number(2), expect(" ") || expect("T"), let hour = number(2), expect(":"),
              let minute = number(2), expect(":"), let second = number(2)
        else { return nil }
        var micros: Int64 = 0
        if expect(".") {
            var digits = 0
            while i < bytes.count, (48...57).contains(bytes[i]) {
                if digits < 6 { micros = micros * 10 + Int64(bytes[i] - 48) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            if digits < 6 { for _ in digits..<6 { micros *= 10 } }
        }
        var offsetSeconds: Int64 = 0
        if expect("Z") {
        } else if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
            let sign: Int64 = bytes[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let oh = number(2) else { return nil }
            var om: Int64 = 0, os: Int64 = 0
            if expect(":") { guard let v = number(2) else { return nil }; om = v }
            if expect(":") { guard let v = number(2) else { return nil }; os = v }
            offsetSeconds = sign * (oh * 3600 + om * 60 + os)
        }
        guard i == bytes.count, (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60,
              second < 61
        else { return nil }
        let days = Self.days(fromCivil: year, month, day)
        let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        microsecondsSinceEpoch = secs * 1_000_000 + micros
    }

    // Howard Hinnant's days-from-civil algorithms: exact integer calendar arithmetic.
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d)
    }
}

extension Int64 {
    /// Quotient and non-negative remainder.
    func floorDivided(by divisor: Int64) -> (Int64, Int64) {
        let q = self / divisor, r = self % divisor
        return r < 0 ? (q - 1, r + divisor) : (q, r)
    }
}

extension Timestamp: PostgresEncodable, PostgresDecodable {
    package var postgresBind: PostgresBind {
        PostgresBind(text: format(dateSeparator: " ", zone: "+00"), oid: PostgresOID.timestamptz)
    }

    package init(postgresText text: String) throws(PostgresError) {
        guard let value = Timestamp(postgresISO: text) else { throw .decoding(Timestamp.self, text) }
        self = value
    }
}
